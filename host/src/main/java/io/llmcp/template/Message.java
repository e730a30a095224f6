package io.llmcp.template;

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

    /**
     * A message as Jackson databind reads a JSON object into {@code Object} (a map in key order; the edge converts
     * the wire's tree with {@code convertValue(node, Object.class)}), such as an OpenAI-style message.
     *
     * @throws TemplateException INVALID_INPUT naming {@code messages} unless it is a map with a string {@code role}
     */
    @SuppressWarnings("unchecked")
    public static Message from(Object value) {
        if (!(value instanceof Map<?, ?> map) || !(map.get("role") instanceof String)) {
            throw TemplateException.invalidInput("messages", "must be objects with a string 'role'");
        }
        return fromMap((Map<String, ?>) map);
    }

    /** A list of such messages, e.g. the {@code messages} param of {@code generate} as databind reads it. */
    public static List<Message> listFrom(Object value) {
        if (!(value instanceof List<?> list)) {
            throw TemplateException.invalidInput("messages", "must be an array of {role, content} objects");
        }
        List<Message> messages = new ArrayList<>(list.size());
        list.forEach(item -> messages.add(from(item)));
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
