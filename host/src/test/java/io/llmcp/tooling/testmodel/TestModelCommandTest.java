package io.llmcp.tooling.testmodel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.protocol.Json;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code llmcp testmodel}: the tiny model in Hugging Face layout, with the context length the caller asks for. */
class TestModelCommandTest {
    @TempDir
    Path tmp;

    private JsonNode write(Path dir, String... extra) throws Exception {
        CommandLine cl = new CommandLine(new TestModelCommand());
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        String[] args = new String[extra.length + 1];
        args[0] = dir.toString();
        System.arraycopy(extra, 0, args, 1, extra.length);
        assertThat(cl.execute(args)).isZero();
        assertThat(out.toString().trim()).isEqualTo(dir.toAbsolutePath().toString());
        for (String f : new String[]{"onnx/model.onnx", "config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json"}) {
            assertThat(dir.resolve(f)).isRegularFile();
        }
        return Json.MAPPER.readTree(Files.readString(dir.resolve("config.json")));
    }

    @Test
    void writesTheTinyShapeByDefault() throws Exception {
        assertThat(write(tmp.resolve("tiny")).get("max_position_embeddings").asInt()).isEqualTo(256);
    }

    @Test
    void maxPositionsSetsTheContextLengthOnly() throws Exception {
        JsonNode tiny = write(tmp.resolve("tiny"));
        JsonNode longer = write(tmp.resolve("long"), "--max-positions", "4096");
        assertThat(longer.get("max_position_embeddings").asInt()).isEqualTo(4096);
        JsonNode tokenizerConfig = Json.MAPPER.readTree(Files.readString(tmp.resolve("long/tokenizer_config.json")));
        assertThat(tokenizerConfig.get("model_max_length").asInt()).isEqualTo(4096);
        for (String same : new String[]{"hidden_size", "num_hidden_layers", "vocab_size", "eos_token_id"}) {
            assertThat(longer.get(same)).as(same).isEqualTo(tiny.get(same));
        }
    }
}
