package io.llmcp.constrain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GrammarTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Grammar.Stack run(String schema, String text) {
        return Grammar.begin(JsonSchemaCompiler.compile(Schemas.parse(schema), "s")).feed(text);
    }

    @Test
    void acceptsValidAndRejectsInvalidText() {
        String person = "{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},\"age\":{\"type\":\"integer\"}},"
                + "\"required\":[\"name\"]}";
        assertThat(run(person, "{\"name\":\"Bo\\\"b\",\"age\":-12}").accepting()).isTrue();
        assertThat(run(person, "{\"name\":\"Bob\"}").accepting()).isTrue();
        assertThat(run(person, "{\"name\":\"Bob\"")).isNotNull().matches(s -> !s.accepting());
        assertThat(run(person, "{\"age\":1")).isNull();
        assertThat(run(person, "{}")).isNull();
        assertThat(run(person, "{\"name\":\"a\",\"age\":1.5")).isNull();
        assertThat(run(person, "{\"name\":\"a\",\"x\"")).isNull();
        assertThat(run("{\"type\":\"number\"}", "-0.5e+3").accepting()).isTrue();
        assertThat(run("{\"type\":\"number\"}", "01")).isNull();
        assertThat(run("{\"enum\":[1,12,\"x\"]}", "1").accepting()).isTrue();
        assertThat(run("{\"enum\":[1,12,\"x\"]}", "12").finished()).isTrue();
        assertThat(run("{\"type\":\"array\",\"maxItems\":1,\"items\":{\"type\":\"null\"}}", "[null,")).isNull();
        assertThat(run("{\"type\":\"boolean\"}", "true").finished()).isTrue();
    }

    @Test
    void minimumCompletionIsExact() {
        String s = "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"},\"b\":{\"type\":\"array\",\"minItems\":2,"
                + "\"items\":{\"type\":\"integer\"}}},\"required\":[\"a\",\"b\"]}";
        Grammar.Stack st = run(s, "");
        assertThat(st.min).isEqualTo("{\"a\":\"\",\"b\":[0,0]}".length());
        assertThat(run(s, "{\"a\":\"xy").min).isEqualTo("\",\"b\":[0,0]}".length());
    }

    @Test
    void refusesUnsupportedKeywords() {
        assertThatThrownBy(() -> JsonSchemaCompiler.compile(Schemas.parse("{\"type\":\"integer\",\"minimum\":3}"), "rc"))
                .isInstanceOfSatisfying(SchemaException.class, e -> assertThat(e.field()).isEqualTo("rc")).hasMessageContaining("minimum");
        assertThatThrownBy(() -> JsonSchemaCompiler.compile(Schemas.parse("{\"$ref\":\"#/$defs/x\"}"), "rc"))
                .isInstanceOf(SchemaException.class).hasMessageContaining("cannot be resolved");
    }

    /** A vocabulary like a byte-level BPE's: every printable ASCII character plus multi-character pieces. */
    static TokenVocabulary vocabulary(Random random) {
        List<String> texts = new ArrayList<>();
        texts.add(null); // an end token with no text, id 0
        for (char c = 0x20; c < 0x7f; c++) texts.add(String.valueOf(c));
        String[] pieces = {"{\"", "\":", "\",\"", "\"}", "true", "false", "null", " the", "name", "age", "\\n", "\\u00e9",
                "12", "3.5", "e+", "],[", "[]", "{}", "é", "日本", ",\"", "\"]", "}}", "\\\"", "good", "point", "kids"};
        texts.addAll(List.of(pieces));
        for (int i = 0; i < 200; i++) {
            StringBuilder b = new StringBuilder();
            int n = 1 + random.nextInt(5);
            for (int j = 0; j < n; j++) { String a = "{}[]\",:0123456789.-eatrufnl xyz\\"; b.append(a.charAt(random.nextInt(a.length()))); }
            texts.add(b.toString());
        }
        return TokenVocabulary.of(texts);
    }

    /** A random "model": picks uniformly among whatever the constraint allows; the text must always validate. */
    @Test
    void randomDecodingAlwaysProducesValidJson() throws Exception {
        Random random = new Random(7);
        TokenVocabulary vocab = vocabulary(random);
        for (JsonNode schema : Schemas.all()) {
            for (int run = 0; run < 30; run++) {
                Grammar.Node g = JsonSchemaCompiler.compile(schema, "s");
                int budget = Grammar.begin(g).min + 1 + random.nextInt(60);
                GrammarConstraint c = new GrammarConstraint(g, vocab, Set.of(0L));
                StringBuilder out = new StringBuilder();
                for (int left = budget; left > 0; left--) {
                    float[] logits = new float[vocab.size()];
                    for (int i = 0; i < logits.length; i++) logits[i] = (float) random.nextGaussian();
                    assertThat(c.mask(logits, left)).as("%s after %s", schema, out).isTrue();
                    List<Integer> ok = new ArrayList<>();
                    for (int i = 0; i < logits.length; i++) if (logits[i] != Float.NEGATIVE_INFINITY) ok.add(i);
                    int pick = ok.get(random.nextInt(ok.size()));
                    c.accept(pick);
                    if (pick == 0) break;
                    out.append(vocab.text(pick));
                }
                assertThat(c.complete()).as("%s within %d: %s", schema, budget, out).isTrue();
                JsonNode value = JSON.readTree(out.toString());
                assertThat(MiniValidator.valid(schema, value)).as("%s: %s", schema, out).isTrue();
            }
        }
    }
}
