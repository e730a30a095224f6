package io.llmcp.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaEmbeddingModel;
import dev.langchain4j.model.ollama.OllamaModel;
import dev.langchain4j.model.ollama.OllamaModels;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import io.llmcp.protocol.Json;
import io.llmcp.testing.CliRun;
import io.llmcp.testing.RepoServer;
import io.llmcp.testing.ServeProcess;
import io.llmcp.tooling.testmodel.LlamaShape;
import io.llmcp.tooling.testmodel.TestModels;
import io.llmcp.tooling.testmodel.Variant;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code llmcp serve} of the real jar driven by LangChain4j's OpenAI and Ollama modules, clients nobody here
 * wrote, over the project's tiny test model pulled from a loopback repository — and the contract for outside
 * checks: a greedy chat through either API returns exactly what {@code llmcp run ID --chat --temperature 0 TEXT}
 * prints, and embeddings equal {@code llmcp embed}'s within 1e-5.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiClientsIT {
    static final String MODEL = "tiny";
    static final String EMBEDDER = "all-minilm-l6-v2";
    static final String TEXT = "Why is the sky blue?";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path tmp;
    RepoServer repo;
    ServeProcess serve;

    @BeforeAll
    void start() throws Exception {
        LlamaShape tiny = TestModels.tinyShape();
        Path model = TestModels.writeModel(tmp.resolve("model"), new LlamaShape(tiny.layers(), tiny.hidden(), tiny.heads(),
                tiny.kvHeads(), tiny.intermediate(), tiny.vocab(), 4096, tiny.seed(), tiny.tiedEmbeddings()), Variant.KV_CACHE);
        repo = new RepoServer().putDirectory(model);
        serve = ServeProcess.start(tmp.resolve("home"));
        // The CLI reaches the same engine: its pull lands in the store the API serves.
        CliRun.Result pull = serve.cli().run("pull", repo.baseUrl("org/tiny"), "--id", MODEL, "--json");
        assertThat(pull.exit()).as(pull.err()).isZero();
    }

    @AfterAll
    void stop() throws Exception {
        if (serve != null) serve.close();
        if (repo != null) repo.close();
    }

    String cliChat() throws Exception {
        CliRun.Result run = serve.cli().run("run", MODEL, "--chat", "--temperature", "0", TEXT);
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).endsWith("\n");
        return run.out().substring(0, run.out().length() - 1);
    }

    @Test
    void greedyChatThroughEitherApiIsExactlyWhatLlmcpRunPrints() throws Exception {
        String expected = cliChat();
        assertThat(expected).isNotEmpty();
        OpenAiChatModel openai = OpenAiChatModel.builder().baseUrl(serve.url() + "/v1").apiKey("unused").modelName(MODEL)
                .temperature(0.0).timeout(Duration.ofSeconds(60)).build();
        assertThat(openai.chat(TEXT)).isEqualTo(expected);
        OllamaChatModel ollama = OllamaChatModel.builder().baseUrl(serve.url()).modelName(MODEL).temperature(0.0)
                .timeout(Duration.ofSeconds(60)).build();
        assertThat(ollama.chat(TEXT)).isEqualTo(expected);
    }

    @Test
    void streamedChatsAddUpToTheSameText() throws Exception {
        String expected = cliChat();
        OpenAiStreamingChatModel openai = OpenAiStreamingChatModel.builder().baseUrl(serve.url() + "/v1").apiKey("unused")
                .modelName(MODEL).temperature(0.0).timeout(Duration.ofSeconds(60)).build();
        Streamed a = new Streamed();
        openai.chat(TEXT, a);
        ChatResponse ra = a.done.get(60, TimeUnit.SECONDS);
        assertThat(a.parts).as("tokens arrive one by one").hasSizeGreaterThan(1);
        assertThat(String.join("", a.parts)).isEqualTo(expected);
        assertThat(ra.aiMessage().text()).isEqualTo(expected);
        assertThat(ra.tokenUsage().outputTokenCount()).as("usage chunk").isPositive();

        OllamaStreamingChatModel ollama = OllamaStreamingChatModel.builder().baseUrl(serve.url()).modelName(MODEL)
                .temperature(0.0).timeout(Duration.ofSeconds(60)).build();
        Streamed b = new Streamed();
        ollama.chat(TEXT, b);
        ChatResponse rb = b.done.get(60, TimeUnit.SECONDS);
        assertThat(b.parts).hasSizeGreaterThan(1);
        assertThat(String.join("", b.parts)).isEqualTo(expected);
        assertThat(rb.aiMessage().text()).isEqualTo(expected);
    }

    @Test
    void embeddingsThroughEitherApiEqualLlmcpEmbed() throws Exception {
        List<String> texts = List.of("first sentence", "the second, a little longer sentence");
        CliRun.Result cli = serve.cli().run("embed", EMBEDDER, texts.get(0), texts.get(1), "--json");
        assertThat(cli.exit()).as(cli.err()).isZero();
        JsonNode vectors = cli.json().path("vectors");

        OpenAiEmbeddingModel openai = OpenAiEmbeddingModel.builder().baseUrl(serve.url() + "/v1").apiKey("unused")
                .modelName(EMBEDDER).timeout(Duration.ofSeconds(60)).build();
        List<Embedding> a = openai.embedAll(texts.stream().map(TextSegment::from).toList()).content();
        OllamaEmbeddingModel ollama = OllamaEmbeddingModel.builder().baseUrl(serve.url()).modelName(EMBEDDER)
                .timeout(Duration.ofSeconds(60)).build();
        List<Embedding> b = ollama.embedAll(texts.stream().map(TextSegment::from).toList()).content();
        for (int i = 0; i < texts.size(); i++) {
            JsonNode expected = vectors.get(i);
            assertThat(a.get(i).vector()).hasSize(expected.size());
            assertThat(b.get(i).vector()).hasSize(expected.size());
            for (int d = 0; d < expected.size(); d++) {
                assertThat((double) a.get(i).vector()[d]).isCloseTo(expected.get(d).asDouble(), within(1e-5));
                assertThat((double) b.get(i).vector()[d]).isCloseTo(expected.get(d).asDouble(), within(1e-5));
            }
        }
    }

    @Test
    void aJsonSchemaFormatGivesAnAnswerThatParsesAndValidatesThroughEitherApi() throws Exception {
        String schema = "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\",\"maxLength\":12},"
                + "\"age\":{\"type\":\"integer\"}},\"required\":[\"name\",\"age\"]}";
        String ollama = post("/api/chat", "{\"model\":\"" + MODEL + "\",\"stream\":false,\"format\":" + schema
                + ",\"messages\":[{\"role\":\"user\",\"content\":\"Describe a person.\"}]}");
        checkPerson(Json.MAPPER.readTree(ollama).path("message").path("content").asText());
        String openai = post("/v1/chat/completions", "{\"model\":\"" + MODEL + "\",\"response_format\":{\"type\":\"json_schema\","
                + "\"json_schema\":{\"name\":\"person\",\"schema\":" + schema + "}},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"Describe a person.\"}]}");
        checkPerson(Json.MAPPER.readTree(openai).path("choices").get(0).path("message").path("content").asText());
    }

    private static void checkPerson(String content) throws Exception {
        JsonNode person = Json.MAPPER.readTree(content);
        assertThat(person.path("name").isTextual()).as(content).isTrue();
        assertThat(person.path("name").asText().length()).as(content).isLessThanOrEqualTo(12);
        assertThat(person.path("age").isIntegralNumber()).as(content).isTrue();
        assertThat(person.size()).as(content).isEqualTo(2);
    }

    private String post(String path, String body) throws Exception {
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(serve.url() + path)).timeout(Duration.ofSeconds(120))
                        .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }

    @Test
    void ollamaModelsListsTheStoreAndTheBuiltInEmbedder() {
        OllamaModels models = OllamaModels.builder().baseUrl(serve.url()).timeout(Duration.ofSeconds(30)).build();
        List<String> names = models.availableModels().content().stream().map(OllamaModel::getName).toList();
        assertThat(names).contains(MODEL, EMBEDDER);
    }

    @Test
    void anUnknownModelIsA404InEachApisShape() {
        OpenAiChatModel openai = OpenAiChatModel.builder().baseUrl(serve.url() + "/v1").apiKey("unused").modelName("nope")
                .maxRetries(0).build();
        try {
            openai.chat("hi");
            throw new AssertionError("expected an error");
        } catch (RuntimeException e) {
            assertThat(e.getClass().getSimpleName() + e.getMessage()).containsIgnoringCase("not").contains("nope");
        }
    }

    static final class Streamed implements StreamingChatResponseHandler {
        final List<String> parts = new java.util.concurrent.CopyOnWriteArrayList<>();
        final CompletableFuture<ChatResponse> done = new CompletableFuture<>();

        @Override
        public void onPartialResponse(String partial) {
            parts.add(partial);
        }

        @Override
        public void onCompleteResponse(ChatResponse response) {
            done.complete(response);
        }

        @Override
        public void onError(Throwable error) {
            done.completeExceptionally(error);
        }
    }

    static JsonNode parse(String s) throws Exception {
        return Json.MAPPER.readTree(s);
    }
}
