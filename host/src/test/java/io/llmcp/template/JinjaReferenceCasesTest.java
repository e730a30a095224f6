package io.llmcp.template;

import static io.llmcp.Coded.coded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.llmcp.Coded;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmcp.protocol.ErrorCodes;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Expectations rendered by Python Jinja2 set up like transformers (see the {@code _about} of each resource).
 * {@code python-semantics.json} covers the string/dict methods, filters, tests, slices, loop controls and whitespace
 * rules one small template at a time. {@code tool-cases.json} renders templates of the optional external corpus
 * ({@link ChatTemplateCorpus}) with {@code tools}, {@code tool_calls} and tool results passed through
 * {@code extraVars} and the messages' extra keys; those cases are skipped when that corpus is not present.
 */
class JinjaReferenceCasesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNode SEMANTICS = resource("python-semantics.json");
    private static final JsonNode TOOLS = resource("tool-cases.json");

    static Stream<Arguments> semantics() {
        List<Arguments> all = new ArrayList<>();
        SEMANTICS.get("cases").forEach(c -> all.add(Arguments.of(c.get("source").asText(), c)));
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("semantics")
    void pythonSemanticsMatchJinja2(String source, JsonNode testCase) {
        @SuppressWarnings("unchecked")
        Map<String, Object> variables = (Map<String, Object>) MAPPER.convertValue(SEMANTICS.get("variables"), Object.class);
        String rendered = new ChatTemplate(source, Map.of()).render(List.of(), false, variables);
        assertThat(rendered).isEqualTo(testCase.get("expected").asText());
    }

    static Stream<Arguments> toolCases() {
        List<Arguments> all = new ArrayList<>();
        TOOLS.get("cases").fields().forEachRemaining(e -> all.add(Arguments.of(e.getKey(), e.getValue())));
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("toolCases")
    void toolUseRendersAsJinja2(String name, JsonNode testCase) throws IOException {
        ChatTemplateCorpus corpus = ChatTemplateCorpus.find().orElse(null);
        assumeTrue(corpus != null, ChatTemplateCorpus::absentMessage);
        String source = java.nio.file.Files.readString(corpus.dir.resolve(testCase.get("template").asText()));
        Map<String, Object> specialTokens = new LinkedHashMap<>();
        Map<String, Object> extraVars = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = testCase.get("variables").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode value = "@TOOLS".equals(e.getValue().asText(null)) ? TOOLS.get("tools") : e.getValue();
            (e.getKey().endsWith("_token") ? specialTokens : extraVars).put(e.getKey(), MAPPER.convertValue(value, Object.class));
        }
        ChatTemplate template = new ChatTemplate(source, specialTokens);
        List<Message> messages = Message.listFrom(MAPPER.convertValue(testCase.get("messages"), Object.class));
        JsonNode expected = testCase.get("expected");
        if (expected.isObject()) {
            assertThatThrownBy(() -> template.render(messages, true, extraVars))
                    .satisfies(coded())
                    .hasMessage(expected.get("error").asText())
                    .satisfies(e -> assertThat(Coded.of(e).code()).isEqualTo(ErrorCodes.TEMPLATE_ERROR));
        } else {
            assertThat(template.render(messages, true, extraVars)).isEqualTo(expected.asText());
        }
    }

    private static JsonNode resource(String name) {
        try (InputStream in = JinjaReferenceCasesTest.class.getResourceAsStream("/chat-templates/" + name)) {
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
