package io.llmcp.inference;

import static io.llmcp.Coded.coded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmcp.tooling.testmodel.TestModels;
import io.llmcp.protocol.ErrorCodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TextTokenizerTest {
    static {
        NativeCacheForTests.use();
    }

    static TextTokenizer tokenizer;

    @BeforeAll
    static void load() {
        byte[] json = TestModels.tokenizer().tokenizerJson(TestModels.tokenizer().size()).toString()
                .getBytes(StandardCharsets.UTF_8);
        tokenizer = TextTokenizer.fromBytes(json);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void aLongPromptIsNeverTruncated() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; sb.length() < 12_000; i++) sb.append("word").append(i).append(" 你好 🎉 ");
        String text = sb.toString();
        long[] ids = tokenizer.encode(text);
        assertThat(ids.length).isGreaterThan(2000);
        assertThat(tokenizer.decode(ids)).isEqualTo(text);
    }

    @Test
    void streamingNeverSplitsACharacterAndAddsUpToTheFullDecode() {
        String text = "Emoji 🎉🚀😀👍 and 中文字符 with ❤️ family 👨‍👩‍👧 日本語テキスト end";
        long[] ids = tokenizer.encode(text);
        long[] context = tokenizer.encode("<|im_start|>assistant\n");
        StreamingDetokenizer d = tokenizer.streaming(context);
        List<String> deltas = new ArrayList<>();
        for (long id : ids) deltas.add(d.push(id));
        deltas.add(d.flush());
        assertThat(String.join("", deltas)).isEqualTo(tokenizer.decode(ids)).isEqualTo(text);
        assertThat(deltas).noneMatch(s -> s.indexOf('\uFFFD') >= 0);
        assertThat(deltas).filteredOn(String::isEmpty).as("some tokens end mid-character").isNotEmpty();
    }

    @Test
    void anIncompleteTailIsHeldBackUntilFlush() {
        byte[] emoji = "🎉".getBytes(StandardCharsets.UTF_8);
        long[] ids = tokenizer.encode("🎉");
        StreamingDetokenizer d = tokenizer.streaming(new long[0]);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < ids.length - 1; i++) out.append(d.push(ids[i]));
        assertThat(out.toString()).doesNotContain("\uFFFD");
        out.append(d.push(ids[ids.length - 1]));
        assertThat(out.toString()).isEqualTo("🎉");
        assertThat(emoji).hasSize(4);
    }

    @Test
    void missingOrBrokenTokenizerGivesModelInvalid(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        assertThatThrownBy(() -> TextTokenizer.fromFile(tmp.resolve("tokenizer.json")))
                .satisfies(coded(e -> assertThat(e.code()).isEqualTo(ErrorCodes.MODEL_INVALID)))
                .hasMessageContaining("tokenizer missing");
        Files.writeString(tmp.resolve("bad.json"), "{\"model\": 42}");
        assertThatThrownBy(() -> TextTokenizer.fromFile(tmp.resolve("bad.json")))
                .satisfies(coded(e -> assertThat(e.code()).isEqualTo(ErrorCodes.MODEL_INVALID)));
    }
}
