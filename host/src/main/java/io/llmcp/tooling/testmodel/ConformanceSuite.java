package io.llmcp.tooling.testmodel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.inference.ChatModel;
import io.llmcp.inference.DirectoryModelSource;
import io.llmcp.inference.GenerationResult;
import io.llmcp.inference.OrtRuntime;
import io.llmcp.inference.SamplingParams;
import io.llmcp.inference.SessionFactory;
import io.llmcp.inference.TokenListener;
import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Writes every test model family in every weight format and runs the host on each, greedily, for plain prompts and
 * chats, into {@code cases.json}: the prompt's ids and the generated ids per case. The conformance test
 * (conformance/, node --test) runs transformers.js on the same directories and requires the same ids.
 */
public final class ConformanceSuite {
    public static final int MAX_NEW_TOKENS = 24;
    static final List<String> PROMPTS = List.of("The quick brown fox", "你好，世界！ Hello there, how are you today?");

    private ConformanceSuite() {
    }

    public static Path write(Path dir) throws IOException {
        List<TestModels.SuiteModel> models = TestModels.writeSuite(dir.resolve("models"), 256);
        ArrayNode cases = Json.MAPPER.createArrayNode();
        SessionFactory factory = new SessionFactory(new OrtRuntime(new OrtRuntime.Settings("cpu", 1, 1, 0)));
        for (TestModels.SuiteModel suiteModel : models) {
            Path model = suiteModel.dir();
            String name = model.getFileName().toString();
            Architecture arch = suiteModel.architecture();
            Dtype dtype = suiteModel.dtype();
            try (ChatModel chat = ChatModel.load(factory, new DirectoryModelSource(name, model), dtype.modelFile)) {
                for (String prompt : PROMPTS) {
                    ObjectNode c = newCase(cases, name, model, dtype, "prompt");
                    c.put("prompt", prompt);
                    run(chat, chat.generator().tokenizer().encodePrompt(prompt), c);
                }
                if (TestModels.flavor(arch).place() == TestModels.TemplatePlace.NONE) continue;
                for (JsonNode messages : chats(arch)) {
                    for (Boolean thinking : arch == Architecture.QWEN3 ? new Boolean[]{null, false} : new Boolean[]{null}) {
                        ObjectNode c = newCase(cases, name, model, dtype, "chat");
                        c.set("messages", messages);
                        Map<String, Object> vars = thinking == null ? Map.of() : Map.of("enable_thinking", thinking);
                        if (thinking != null) c.put("enableThinking", thinking);
                        String text = chat.renderChat(messages, vars);
                        c.put("rendered", text);
                        run(chat, chat.generator().tokenizer().encode(text), c);
                    }
                }
            }
        }
        Path out = dir.resolve("cases.json");
        Files.write(out, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(cases));
        return out;
    }

    private static ObjectNode newCase(ArrayNode cases, String name, Path model, Dtype dtype, String kind) {
        ObjectNode c = cases.addObject();
        c.put("model", name);
        c.put("dir", model.toAbsolutePath().toString());
        c.put("dtype", dtype == Dtype.Q4_ZERO_POINTS ? "q4" : dtype.id);
        c.put("kind", kind);
        c.put("maxNewTokens", MAX_NEW_TOKENS);
        return c;
    }

    private static void run(ChatModel chat, long[] ids, ObjectNode c) {
        ArrayNode p = c.putArray("promptIds");
        for (long id : ids) p.add(id);
        GenerationResult r = chat.generator().generate(ids, SamplingParams.greedy(MAX_NEW_TOKENS), CancellationToken.none(),
                TokenListener.NONE);
        ArrayNode g = c.putArray("hostIds");
        for (long id : r.tokenIds()) g.add(id);
        c.put("hostText", r.text());
        c.put("finishReason", r.finishReason().wire());
    }

    private static List<JsonNode> chats(Architecture arch) {
        ArrayNode one = Json.MAPPER.createArrayNode();
        if (arch != Architecture.MISTRAL) one.addObject().put("role", "system").put("content", "You are a helpful assistant.");
        one.addObject().put("role", "user").put("content", "Hello world! How are you today?");
        ArrayNode turns = Json.MAPPER.createArrayNode();
        turns.addObject().put("role", "user").put("content", "The quick brown fox");
        turns.addObject().put("role", "assistant").put("content", "jumps over the lazy dog.");
        turns.addObject().put("role", "user").put("content", "你好，世界！ 🎉");
        return List.of(one, turns);
    }
}
