package io.llmcp.inference;

import io.llmcp.failure.DomainException;
import io.llmcp.failure.Failure;
import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.template.ChatTemplate;
import io.llmcp.template.Message;
import io.llmcp.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A decoder-only model loaded for text generation: its ORT session, the decoder spec from config.json checked
 * against the session, the tokenizer and the chat template — everything a {@code generate} request needs, kept
 * together in the session cache so a chat's second message costs no load.
 */
public final class ChatModel implements SessionCache.Loaded {
    private final ModelSession session;
    private final Generator generator;
    private final ChatTemplate template;
    private final String templateProblem;
    /** The {@code tool_use} template of a named list, used when a request passes tools (as transformers.js picks it). */
    private ChatTemplate toolTemplate;

    private ChatModel(ModelSession session, Generator generator, ChatTemplate template, String templateProblem) {
        this.session = session;
        this.generator = generator;
        this.template = template;
        this.templateProblem = templateProblem;
    }

    /** Loads the model named by {@code onnxPath} from {@code source}. Every missing piece is a MODEL_INVALID. */
    public static ChatModel load(SessionFactory factory, ModelSource source, String onnxPath) {
        String id = source.modelId();
        if (!source.has("tokenizer.json")) {
            throw new InferenceException(Failure.MODEL_INVALID, id + " has no tokenizer.json; the model repo must include one");
        }
        if (!source.has("config.json")) {
            throw new InferenceException(Failure.MODEL_INVALID, id + " has no config.json; the model repo must include one");
        }
        ModelSession session = factory.open(source, onnxPath);
        try {
            JsonNode config = Json.MAPPER.readTree(source.readText("config.json"));
            JsonNode genConfig = source.has("generation_config.json") ? Json.MAPPER.readTree(source.readText("generation_config.json")) : null;
            DecoderSpec spec = DecoderSpec.from(config, genConfig, session.session());
            String tokConfig = source.has("tokenizer_config.json") ? source.readText("tokenizer_config.json") : null;
            TextTokenizer tokenizer = TextTokenizer.fromBytes(source.readText("tokenizer.json").getBytes(StandardCharsets.UTF_8));
            try {
                tokenizer.applyConfig(tokConfig == null ? null : Json.MAPPER.readTree(tokConfig));
            } catch (IOException e) {
                tokenizer.close();
                throw e;
            }
            Generator generator = new Generator(session.session(), spec, tokenizer, session.provider());
            ChatTemplate template = null;
            ChatTemplate tools = null;
            String problem = null;
            try {
                String file = chatTemplateFile(source);
                template = ChatTemplate.fromModelFiles(tokConfig, file, null);
                if (file == null && tokConfig != null && tokConfig.contains("\"tool_use\"")) {
                    JsonNode named = Json.MAPPER.readTree(tokConfig).get("chat_template");
                    if (named != null && named.isArray()) {
                        for (JsonNode n : named) {
                            if ("tool_use".equals(n.path("name").asText())) tools = ChatTemplate.fromModelFiles(tokConfig, null, "tool_use");
                        }
                    }
                }
            } catch (DomainException e) {
                problem = e.getMessage(); // raw prompts still work; chat messages get this message
            }
            ChatModel model = new ChatModel(session, generator, template, problem);
            model.toolTemplate = tools;
            return model;
        } catch (IOException e) {
            session.close();
            throw new InferenceException(Failure.MODEL_INVALID, id + ": cannot read its config or tokenizer: " + e.getMessage());
        } catch (RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /**
     * The template file beside tokenizer_config.json, as transformers loads it: {@code chat_template.jinja}, else
     * {@code chat_template.json} ({@code {"chat_template": "..."}}, a string or a named list whose
     * {@code default} is used); null when neither is there (then tokenizer_config.json's own applies).
     */
    static String chatTemplateFile(ModelSource source) throws IOException {
        if (source.has("chat_template.jinja")) return source.readText("chat_template.jinja");
        if (!source.has("chat_template.json")) return null;
        JsonNode t = Json.MAPPER.readTree(source.readText("chat_template.json")).get("chat_template");
        if (t != null && t.isTextual()) return t.asText();
        if (t != null && t.isArray()) {
            JsonNode first = null;
            for (JsonNode named : t) {
                if (first == null) first = named.get("template");
                if ("default".equals(named.path("name").asText())) return named.path("template").asText();
            }
            if (first != null && first.isTextual()) return first.asText();
        }
        throw new InferenceException(Failure.MODEL_INVALID, "chat_template.json has no 'chat_template' string or list");
    }

    public Generator generator() {
        return generator;
    }

    /** Renders chat {@code messages} with the model's template, ending with the assistant's turn. */
    public String renderChat(JsonNode messages, Map<String, ?> extraVars) {
        if (template == null) {
            throw new InferenceException(Failure.MODEL_INVALID, templateProblem != null ? templateProblem
                    : "model has no chat template; pass a raw prompt");
        }
        List<Message> list = new ArrayList<>();
        for (JsonNode m : messages) {
            if (!m.isObject() || !m.path("role").isTextual()) {
                throw InferenceException.invalidInput("messages", "every message needs a string 'role' and a 'content'");
            }
            list.add(Message.from(Json.MAPPER.convertValue(m, Object.class)));
        }
        boolean withTools = extraVars != null && extraVars.get("tools") != null;
        return (withTools && toolTemplate != null ? toolTemplate : template).render(list, true, extraVars);
    }

    @Override
    public String provider() {
        return session.provider();
    }

    @Override
    public long bytes() {
        return session.modelBytes();
    }

    @Override
    public void close() {
        session.close();
    }
}
