package io.llmcp.template;

import static io.llmcp.Coded.coded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import io.llmcp.Coded;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmcp.protocol.ErrorCodes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The engine's conformance suite, part of the repository: the templates in
 * {@code src/test/resources/chat-templates/conformance/} (written for this project to exercise what chat templates
 * use: namespace, loop variables, slices, string methods, tojson, whitespace control, tools and tool calls,
 * raise_exception, macros, set blocks, tests and filters) rendered for every case of {@code cases.json} and
 * compared byte for byte with {@code expected.json}, which the reference engine {@code @huggingface/jinja} rendered
 * ({@code src/test/template-cases/generate.mjs}; Maven needs no Node). A case whose expectation is
 * {@code {"error": msg}} must fail with a TEMPLATE_ERROR whose message is exactly the template's
 * {@code raise_exception(msg)}. Each rendering is its own test, named {@code template / case}.
 */
class ChatTemplateReferenceTest {
    private static final String DIR = "/chat-templates/conformance/";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNode CASES = json("cases.json");
    private static final JsonNode EXPECTED = json("expected.json");

    @TestFactory
    Stream<DynamicNode> rendersExactlyAsTheReferenceEngine() {
        List<DynamicNode> templates = new ArrayList<>();
        CASES.get("templates").fields().forEachRemaining(template -> {
            String name = template.getKey();
            JsonNode spec = template.getValue();
            List<DynamicNode> cases = new ArrayList<>();
            spec.get("cases").fields().forEachRemaining(c -> cases.add(dynamicTest(name + " / " + c.getKey(),
                    () -> check(name + " / " + c.getKey(), spec, c.getValue(), EXPECTED.get(name).get(c.getKey())))));
            templates.add(dynamicContainer(name, cases));
        });
        return templates.stream();
    }

    /** expected.json is regenerated together with cases.json: a case without an expectation means it was not. */
    @Test
    void everyCaseHasAnExpectationAndNothingElse() {
        int count = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = CASES.get("templates").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> template = it.next();
            List<String> cases = new ArrayList<>();
            template.getValue().get("cases").fieldNames().forEachRemaining(cases::add);
            List<String> expected = new ArrayList<>();
            assertThat(EXPECTED.has(template.getKey())).as("expectations for " + template.getKey()).isTrue();
            EXPECTED.get(template.getKey()).fieldNames().forEachRemaining(expected::add);
            assertThat(expected).as(template.getKey() + ": run generate.mjs after editing cases.json")
                    .containsExactlyElementsOf(cases);
            count += cases.size();
        }
        assertThat(EXPECTED.size()).isEqualTo(CASES.get("templates").size());
        assertThat(count).isGreaterThanOrEqualTo(100);
    }

    private static void check(String label, JsonNode spec, JsonNode testCase, JsonNode expected) throws IOException {
        Map<String, Object> tokens = variables(spec.get("variables"));
        ChatTemplate template = new ChatTemplate(text(spec.get("file").asText()), tokens);
        List<Message> messages = Message.listFrom(
                MAPPER.convertValue(CASES.get("conversations").get(testCase.get("conversation").asText()), Object.class));
        boolean addGenerationPrompt = testCase.get("add_generation_prompt").asBoolean();
        Map<String, Object> extraVars = variables(testCase.get("variables"));
        if (expected.isObject()) {
            assertThatThrownBy(() -> template.render(messages, addGenerationPrompt, extraVars))
                    .as(label)
                    .satisfies(coded())
                    .hasMessage(expected.get("error").asText())
                    .satisfies(e -> assertThat(Coded.of(e).code()).isEqualTo(ErrorCodes.TEMPLATE_ERROR));
        } else {
            assertThat(template.render(messages, addGenerationPrompt, extraVars)).as(label).isEqualTo(expected.asText());
        }
    }

    private static Map<String, Object> variables(JsonNode node) {
        Map<String, Object> variables = new LinkedHashMap<>();
        if (node != null) {
            node.fields().forEachRemaining(e -> variables.put(e.getKey(), MAPPER.convertValue(e.getValue(), Object.class)));
        }
        return variables;
    }

    private static String text(String file) throws IOException {
        try (InputStream in = ChatTemplateReferenceTest.class.getResourceAsStream(DIR + file)) {
            if (in == null) {
                throw new AssertionError("missing test resource " + DIR + file);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static JsonNode json(String file) {
        try {
            return MAPPER.readTree(text(file));
        } catch (IOException e) {
            throw new AssertionError("cannot read test resource " + DIR + file, e);
        }
    }
}
