package io.llmcp.template;

import io.llmcp.failure.Failure;
import com.hubspot.jinjava.tree.Node;
import io.llmcp.protocol.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A model's chat template, parsed once and rendered per request with the semantics of transformers'
 * {@code apply_chat_template} (Jinja2 with {@code trim_blocks}/{@code lstrip_blocks}; see {@link TemplateEngine}).
 *
 * <pre>{@code
 * ChatTemplate template = ChatTemplate.fromModelFiles(tokenizerConfigJson, chatTemplateJinjaOrNull, null);
 * String prompt = template.render(Message.listFrom(messagesAsDatabindReadsThem), true, Map.of());
 * }</pre>
 *
 * Render failures are {@link TemplateException}s with {@link Failure#TEMPLATE_ERROR}; a template's own
 * {@code raise_exception(msg)} gives exactly {@code msg} as the message. Instances are immutable and thread-safe.
 */
public final class ChatTemplate {
    /** The special tokens transformers passes to every render when the tokenizer defines them. */
    private static final List<String> SPECIAL_TOKENS =
            List.of("bos_token", "eos_token", "unk_token", "pad_token", "sep_token", "cls_token", "mask_token");
    private static final String DEFAULT_NAME = "default";

    private final String source;
    private final Map<String, Object> variables;
    private final Node root;

    /**
     * @param templateText the Jinja source exactly as the model ships it
     * @param variables    values every render sees, typically {@code bos_token} and {@code eos_token}
     * @throws TemplateException TEMPLATE_ERROR if the template does not parse
     */
    public ChatTemplate(String templateText, Map<String, ?> variables) {
        this.source = Objects.requireNonNull(templateText, "templateText");
        Map<String, Object> vars = new LinkedHashMap<>();
        if (variables != null) {
            variables.forEach((k, v) -> vars.put(k, TemplateValues.copy(v)));
        }
        this.variables = Collections.unmodifiableMap(vars);
        this.root = TemplateEngine.INSTANCE.parse(dropOneTrailingNewline(templateText));
    }

    /**
     * The template a model's files define: {@code chat_template.jinja} when present, else {@code chat_template} in
     * {@code tokenizer_config.json} (a string, or a list of {@code {name, template}} from which {@code templateName},
     * default {@code "default"}, is picked), with the tokenizer's special tokens ({@code bos_token}, {@code eos_token}...;
     * plain strings or AddedToken objects {@code {"content": ...}}) as variables.
     *
     * @throws TemplateException MODEL_INVALID when there is no such template or tokenizer_config.json is not JSON
     */
    public static ChatTemplate fromModelFiles(String tokenizerConfigJson, String chatTemplateJinja, String templateName) {
        Map<?, ?> config = parseConfig(tokenizerConfigJson);
        Map<String, Object> variables = new LinkedHashMap<>();
        for (String token : SPECIAL_TOKENS) {
            String value = tokenText(config.get(token));
            if (value != null) {
                variables.put(token, value);
            }
        }
        String text = chatTemplateJinja != null ? chatTemplateJinja : templateFromConfig(config, templateName);
        return new ChatTemplate(text, variables);
    }

    /**
     * Renders a conversation.
     *
     * @param messages            the conversation; each message keeps all its keys
     * @param addGenerationPrompt append the assistant turn header so the model answers next
     * @param extraVars           further template variables: {@code tools}, {@code documents},
     *                            {@code enable_thinking}, {@code date_string}...; may be null. They override the
     *                            template's own variables; {@code messages} and {@code add_generation_prompt} win.
     * @throws TemplateException TEMPLATE_ERROR, with the template's message for {@code raise_exception}
     */
    public String render(List<Message> messages, boolean addGenerationPrompt, Map<String, ?> extraVars) {
        Map<String, Object> bindings = new HashMap<>(variables);
        if (extraVars != null) {
            extraVars.forEach((k, v) -> bindings.put(k, TemplateValues.copy(v))); // null is passed as None
        }
        List<Object> list = new ArrayList<>(messages.size());
        for (Message message : messages) {
            list.add(TemplateValues.copy(message.fields()));
        }
        bindings.put("messages", list);
        bindings.put("add_generation_prompt", addGenerationPrompt);
        return TemplateEngine.INSTANCE.render(root, bindings);
    }

    public String source() {
        return source;
    }

    /** The variables every render sees (special tokens). */
    public Map<String, Object> variables() {
        return variables;
    }

    /**
     * Jinja2 (keep_trailing_newline=False) and @huggingface/jinja drop one newline at the very end of a template;
     * Jinjava keeps it. This is the only change made to the template text.
     */
    static String dropOneTrailingNewline(String text) {
        if (text.endsWith("\r\n")) {
            return text.substring(0, text.length() - 2);
        }
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    /** tokenizer_config.json as databind reads it: a map in the file's key order (empty when there is none). */
    private static Map<?, ?> parseConfig(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            Object value = Json.MAPPER.readValue(json, Object.class);
            if (!(value instanceof Map<?, ?> map)) {
                throw new TemplateException(Failure.MODEL_INVALID, "tokenizer_config.json is not a JSON object");
            }
            return map;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new TemplateException(Failure.MODEL_INVALID,
                    "tokenizer_config.json is not valid JSON: " + e.getOriginalMessage());
        }
    }

    private static String tokenText(Object token) {
        if (token instanceof String text) {
            return text;
        }
        // AddedToken form: {"content": "<s>", "lstrip": false, ...}
        return token instanceof Map<?, ?> added && added.get("content") instanceof String content ? content : null;
    }

    private static String templateFromConfig(Map<?, ?> config, String templateName) {
        Object template = config.get("chat_template");
        String wanted = templateName == null ? DEFAULT_NAME : templateName;
        if (template == null) {
            throw new TemplateException(Failure.MODEL_INVALID, "model has no chat template; pass a raw prompt");
        }
        if (template instanceof String text) {
            if (!wanted.equals(DEFAULT_NAME)) {
                throw new TemplateException(Failure.MODEL_INVALID,
                        "model has no chat template named '" + wanted + "' (it has only a default one)");
            }
            return text;
        }
        if (template instanceof List<?> entries) {
            List<String> names = new ArrayList<>();
            for (Object entry : entries) {
                Map<?, ?> named = entry instanceof Map<?, ?> m ? m : Map.of();
                String name = nameText(named.get("name"));
                names.add(name);
                if (wanted.equals(name) && named.get("template") instanceof String text) {
                    return text;
                }
            }
            throw new TemplateException(Failure.MODEL_INVALID,
                    "model has no chat template named '" + wanted + "' (it has: " + String.join(", ", names) + ")");
        }
        throw new TemplateException(Failure.MODEL_INVALID,
                "tokenizer_config.json: chat_template must be a string or a list of {name, template}");
    }

    /**
     * An entry's {@code name} as the error message lists it: a scalar as written (a number or boolean too), a
     * container as empty text, none as null; the same text the file's JSON would give.
     */
    private static String nameText(Object name) {
        if (name == null || name instanceof String) {
            return (String) name;
        }
        return name instanceof Map<?, ?> || name instanceof List<?> ? "" : String.valueOf(name);
    }
}
