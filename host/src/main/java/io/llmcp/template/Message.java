package io.llmcp.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One chat message as a template sees it: {@code role}, {@code content} and whatever else the caller sent
 * ({@code tool_calls}, {@code tool_call_id}, {@code name}, {@code reasoning_content}...), kept in order, as plain
 * maps/lists/strings/numbers. Templates test keys with {@code 'tool_calls' in message} and
 * {@code message.tool_calls is defined}, so absent keys stay absent (no null placeholders).
 */
public record Message(Map<String, Object> fields) {

    public Message {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public static Message of(String role, Object content) {
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("role", role);
        map.put("content", TemplateValues.copy(content));
        return new Message(map);
    }

    /** Any map with at least a {@code role}; values are deep-copied into template values. */
    @SuppressWarnings("unchecked")
    public static Message fromMap(Map<String, ?> map) {
        return new Message((Map<String, Object>) TemplateValues.copy(map));
    }

    /** A JSON object such as an OpenAI-style message; throws -32602 naming {@code messages} when it is not one. */
    @SuppressWarnings("unchecked")
    public static Message fromJson(JsonNode node) {
        if (node == null || !node.isObject() || !node.path("role").isTextual()) {
            throw TemplateException.invalidInput("messages", "must be objects with a string 'role'");
        }
        return new Message((Map<String, Object>) TemplateValues.fromJson(node));
    }

    /** A JSON array of messages, e.g. the {@code messages} param of {@code generate}. */
    public static List<Message> listFromJson(JsonNode array) {
        if (array == null || !array.isArray()) {
            throw TemplateException.invalidInput("messages", "must be an array of {role, content} objects");
        }
        List<Message> messages = new ArrayList<>(array.size());
        array.forEach(node -> messages.add(fromJson(node)));
        return messages;
    }

    public String role() {
        Object role = fields.get("role");
        return role == null ? null : role.toString();
    }

    public Object content() {
        return fields.get("content");
    }
}
