package io.llmcp.template;

import static io.llmcp.Coded.coded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmcp.Coded;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.llmcp.protocol.ErrorCodes;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ChatTemplateTest {
    /** The ChatML template the project's generated test models ship. */
    static final String CHATML = "{% for message in messages %}<|im_start|>{{ message['role'] }}\n"
            + "{{ message['content'] }}<|im_end|>\n{% endfor %}"
            + "{% if add_generation_prompt %}<|im_start|>assistant\n{% endif %}";

    private static final List<Message> CHAT = List.of(
            Message.of("system", "Be brief."), Message.of("user", "Hi 👋"), Message.of("assistant", "Hello."),
            Message.of("user", "2+2?"));

    @Test
    void chatMlRendersTheConversationAndTheGenerationPrompt() {
        ChatTemplate template = new ChatTemplate(CHATML, Map.of());
        assertThat(template.render(CHAT, true, null)).isEqualTo(
                "<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi 👋<|im_end|>\n"
                        + "<|im_start|>assistant\nHello.<|im_end|>\n<|im_start|>user\n2+2?<|im_end|>\n"
                        + "<|im_start|>assistant\n");
        assertThat(template.render(CHAT.subList(1, 2), false, null)).isEqualTo("<|im_start|>user\nHi 👋<|im_end|>\n");
    }

    @Test
    void fromModelFilesReadsAStringTemplateAndAddedTokenObjects() {
        String config = "{\"bos_token\": {\"__type\": \"AddedToken\", \"content\": \"<s>\", \"lstrip\": false},"
                + " \"eos_token\": \"</s>\", \"pad_token\": null,"
                + " \"chat_template\": \"{{ bos_token }}{% for m in messages %}{{ m.content }}{{ eos_token }}{% endfor %}\"}";
        ChatTemplate template = ChatTemplate.fromModelFiles(config, null, null);
        assertThat(template.variables()).containsEntry("bos_token", "<s>").containsEntry("eos_token", "</s>")
                .doesNotContainKey("pad_token");
        assertThat(template.render(List.of(Message.of("user", "a"), Message.of("assistant", "b")), false, null))
                .isEqualTo("<s>a</s>b</s>");
    }

    @Test
    void fromModelFilesPicksFromANamedListDefaultFirst() {
        String config = "{\"eos_token\": \"E\", \"chat_template\": ["
                + "{\"name\": \"default\", \"template\": \"default:{{ messages[0].content }}\"},"
                + "{\"name\": \"tool_use\", \"template\": \"tools:{{ tools | length }}\"},"
                + "{\"name\": \"rag\", \"template\": \"rag:{{ documents[0].title }}\"}]}";
        assertThat(ChatTemplate.fromModelFiles(config, null, null).render(List.of(Message.of("user", "q")), false, null))
                .isEqualTo("default:q");
        assertThat(ChatTemplate.fromModelFiles(config, null, "tool_use")
                .render(List.of(), false, Map.of("tools", List.of(Map.of("name", "a"), Map.of("name", "b")))))
                .isEqualTo("tools:2");
        assertThat(ChatTemplate.fromModelFiles(config, null, "rag")
                .render(List.of(), false, Map.of("documents", List.of(Map.of("title", "Doc")))))
                .isEqualTo("rag:Doc");
        assertThatThrownBy(() -> ChatTemplate.fromModelFiles(config, null, "nope"))
                .satisfies(coded())
                .hasMessage("model has no chat template named 'nope' (it has: default, tool_use, rag)")
                .satisfies(e -> assertThat(Coded.of(e).code()).isEqualTo(ErrorCodes.MODEL_INVALID));
    }

    @Test
    void chatTemplateJinjaFileWinsOverTheConfigAndKeepsItsTokens() {
        String config = "{\"bos_token\": \"<B>\", \"chat_template\": \"from-config\"}";
        ChatTemplate template = ChatTemplate.fromModelFiles(config, "{{ bos_token }}from-file\n", null);
        assertThat(template.render(List.of(), false, null)).isEqualTo("<B>from-file"); // one trailing \n dropped
        assertThat(ChatTemplate.fromModelFiles(null, "no config {{ eos_token }}.", null).render(List.of(), true, null))
                .isEqualTo("no config .");
    }

    @Test
    void aModelWithoutATemplateGetsAClearError() {
        for (String config : new String[] {"{\"eos_token\": \"</s>\"}", "{\"chat_template\": null}", null}) {
            assertThatThrownBy(() -> ChatTemplate.fromModelFiles(config, null, null))
                    .satisfies(coded())
                    .hasMessage("model has no chat template; pass a raw prompt")
                    .satisfies(e -> assertThat(Coded.of(e).code()).isEqualTo(ErrorCodes.MODEL_INVALID));
        }
        assertThatThrownBy(() -> ChatTemplate.fromModelFiles("{not json", null, null))
                .satisfies(coded())
                .hasMessageStartingWith("tokenizer_config.json is not valid JSON")
                .satisfies(e -> assertThat(Coded.of(e).code()).isEqualTo(ErrorCodes.MODEL_INVALID));
    }

    @Test
    void aBrokenTemplateFailsWhenLoadedNotPerRequest() {
        assertThatThrownBy(() -> new ChatTemplate("{% for m in messages %}{{ m.content }}", Map.of()))
                .satisfies(coded())
                .hasMessageContaining("endfor")
                .satisfies(e -> assertThat(Coded.of(e).code()).isEqualTo(ErrorCodes.TEMPLATE_ERROR));
        assertThatThrownBy(() -> new ChatTemplate("{{ messages | no_such_filter }}", Map.of()))
                .satisfies(coded())
                .hasMessage("chat template error at line 1: no filter named 'no_such_filter'");
        // as in Jinja2, an unknown filter in a branch is only an error if the branch runs
        assertThat(new ChatTemplate("{% if false %}{{ x | no_such_filter }}{% endif %}ok", Map.of())
                .render(List.of(), false, null)).isEqualTo("ok");
        for (String broken : new String[] {"{{ 'unterminated }}", "{{ 1 + }}", "{% if a == %}x{% endif %}", "{# open",
                "{% set x = y is no_such_test %}", "{% for x in y | no_such_filter %}{% endfor %}"}) {
            assertThatThrownBy(() -> new ChatTemplate(broken, Map.of()))
                    .as(broken)
                    .satisfies(coded())
                    .hasMessageStartingWith("chat template error at line 1")
                    .satisfies(e -> assertThat(Coded.of(e).code()).isEqualTo(ErrorCodes.TEMPLATE_ERROR));
        }
    }

    @Test
    void raiseExceptionAbortsWithExactlyItsMessage() {
        List<String> sideEffects = new ArrayList<>();
        ChatTemplate template = new ChatTemplate("before{% for m in messages %}"
                + "{% if m.role == 'system' %}{{ raise_exception('No system messages, got: ' + m.content) }}{% endif %}"
                + "{{ m.content }}{% endfor %}after", Map.of());
        assertThatThrownBy(() -> template.render(CHAT, true, null))
                .satisfies(coded())
                .hasMessage("No system messages, got: Be brief.")
                .satisfies(e -> assertThat(Coded.of(e).code()).isEqualTo(ErrorCodes.TEMPLATE_ERROR));
        // the same instance renders fine afterwards, on this and other threads: no raised state leaks
        assertThat(template.render(CHAT.subList(1, 3), true, null)).isEqualTo("beforeHi 👋Hello.after");
        assertThat(sideEffects).isEmpty();
    }

    @Test
    void strftimeNowFormatsTheCurrentTime() {
        ChatTemplate template = new ChatTemplate("{{ strftime_now('%Y-%m-%d') }}|{{ strftime_now('%d %b %Y') }}", Map.of());
        LocalDate before = LocalDate.now();
        String rendered = template.render(List.of(), true, null);
        LocalDate after = LocalDate.now();
        assertThat(List.of(before, after)).anySatisfy(day -> assertThat(rendered).isEqualTo(
                day + "|" + TemplateFunctions.strftime(day.atStartOfDay(ZoneId.systemDefault()), "%d %b %Y")));
    }

    @Test
    void theBuiltinsAreDefinedNamesAsInTransformers() {
        // Llama 3.2: {%- if strftime_now is defined %}{%- set date_string = strftime_now("%d %b %Y") %}
        ChatTemplate template = new ChatTemplate("{% if strftime_now is defined %}{{ strftime_now('%Y') }}{% else %}"
                + "26 Jul 2024{% endif %}|{{ raise_exception is defined }}", Map.of());
        String year = String.valueOf(LocalDate.now().getYear());
        assertThat(template.render(List.of(), true, null)).isIn(year + "|True",
                LocalDate.now().getYear() + 1 + "|True");
    }

    @Test
    void strftimeSpeaksPythonDirectives() {
        ZonedDateTime t = ZonedDateTime.of(2024, 7, 5, 14, 3, 9, 0, ZoneId.of("UTC"));
        assertThat(TemplateFunctions.strftime(t, "%d %b %Y")).isEqualTo("05 Jul 2024");
        assertThat(TemplateFunctions.strftime(t, "%A, %B %-d? %H:%M:%S %p %I %j %y %%"))
                .isEqualTo("Friday, July %-d? 14:03:09 PM 02 187 24 %");
        assertThat(TemplateFunctions.strftime(t, "%F %T %a %z")).isEqualTo("2024-07-05 14:03:09 Fri +0000");
    }

    @Test
    void extraVarsReachTheTemplateAndMessagesKeepTheirExtraKeys() throws Exception {
        ChatTemplate template = new ChatTemplate("{% if enable_thinking is defined and enable_thinking is false %}"
                + "no-think|{% endif %}{% for t in tools %}{{ t.function.name }},{% endfor %}|"
                + "{% for m in messages %}{{ m.role }}:{{ m.tool_calls[0].function.arguments | tojson if m.tool_calls"
                + " else m.content }}{{ '(' + m.tool_call_id + ')' if m.tool_call_id is defined }};{% endfor %}",
                Map.of());
        List<Message> messages = Message.listFrom(new ObjectMapper().readValue("["
                + "{\"role\": \"user\", \"content\": \"weather?\"},"
                + "{\"role\": \"assistant\", \"content\": null, \"tool_calls\": [{\"type\": \"function\","
                + " \"function\": {\"name\": \"get_weather\", \"arguments\": {\"city\": \"Zürich\"}}}]},"
                + "{\"role\": \"tool\", \"tool_call_id\": \"call_1\", \"content\": \"sunny\"}]", Object.class));
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("enable_thinking", false);
        extra.put("tools", List.of(Map.of("type", "function", "function", Map.of("name", "get_weather"))));
        assertThat(template.render(messages, true, extra)).isEqualTo(
                "no-think|get_weather,|user:weather?;assistant:{\"city\": \"Zürich\"};tool:sunny(call_1);");
    }

    @Test
    void templatesCannotChangeTheCallersObjects() {
        List<Object> tools = new ArrayList<>(List.of(new LinkedHashMap<>(Map.of("name", "a"))));
        ChatTemplate template = new ChatTemplate(
                "{% set _ = tools.append('x') %}{% set _ = messages.pop() %}{{ tools | length }}{{ messages | length }}",
                Map.of());
        assertThat(template.render(CHAT, false, Map.of("tools", tools))).isEqualTo("23");
        assertThat(tools).hasSize(1);
        assertThat(CHAT).hasSize(4);
    }

    @Test
    void noneIsNotUndefined() {
        // As in Jinja2: a JSON null is None (defined, prints "None", falsy); a missing key is undefined (prints "").
        ChatTemplate template = new ChatTemplate("[{{ m.content }}][{{ m.missing }}][{{ m.content is none }}]"
                + "[{{ m.content is defined }}][{{ m.missing is defined }}][{{ 'yes' if m.content else 'no' }}]"
                + "[{{ m.content | tojson }}][{{ m.content | default('d') }}][{{ m.content | default('d', true) }}]"
                + "[{{ m.missing | default('d') }}][{% set ns = namespace(name=none) %}{{ ns.name is none }}]",
                Map.of());
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("content", null);
        assertThat(template.render(List.of(), false, Map.of("m", message)))
                .isEqualTo("[None][][True][True][False][no][null][None][d][d][True]");
    }

    @Test
    void addingNoneToAStringFailsAsInPythonInsteadOfPrintingNull() {
        ChatTemplate template = new ChatTemplate("{{ '<|assistant|>' + messages[0].content }}", Map.of());
        assertThatThrownBy(() -> template.render(List.of(Message.of("assistant", null)), false, null))
                .satisfies(coded())
                .hasMessageContaining("can only concatenate str (not \"NoneType\") to str")
                .satisfies(e -> assertThat(Coded.of(e).code()).isEqualTo(ErrorCodes.TEMPLATE_ERROR));
    }

    @Test
    void rendersConcurrentlyFromOneInstance() throws Exception {
        ChatTemplate template = new ChatTemplate(CHATML, Map.of());
        String expected = template.render(CHAT, true, null);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                results.add(pool.submit(() -> template.render(CHAT, true, null)));
            }
            for (Future<String> result : results) {
                assertThat(result.get()).isEqualTo(expected);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void messagesFromJsonRejectWhatIsNotAMessage() throws Exception {
        ObjectMapper json = new ObjectMapper();
        Consumer<String> rejects = text -> assertThatThrownBy(() -> Message.listFrom(json.readValue(text, Object.class)))
                .satisfies(coded())
                .hasMessageContaining("'messages'")
                .satisfies(e -> assertThat(Coded.of(e).code()).isEqualTo(ErrorCodes.INVALID_PARAMS));
        rejects.accept("{\"role\": \"user\"}");
        rejects.accept("[\"hello\"]");
        rejects.accept("[{\"content\": \"no role\"}]");
        assertThat(Message.listFrom(json.readValue("[{\"role\": \"user\", \"content\": \"x\", \"name\": \"bob\"}]",
                Object.class)).get(0).fields()).containsEntry("name", "bob").containsEntry("content", "x");
    }

    @Test
    void lstripBlocksOnlyStripsIndentationThatStartsTheLineAndCommentsBecomeBarriers() {
        assertThat(Jinja2Whitespace.apply("a\n    {% if x %}b {% endif %}\n  {# c #}")).isEqualTo("a\n{% if x %}b {% endif %}\n{{ '' }}");
        assertThat(Jinja2Whitespace.apply("  {% if x %}Tools: {% for t in l %}")).isEqualTo("{% if x %}Tools: {% for t in l %}");
        assertThat(Jinja2Whitespace.apply("  {{ x }}  {% if %}")).isEqualTo("  {{ x }}  {% if %}");
        String template = "{% for t in tools %}\n  {{ t }} {% if not loop.last %}\n  and{% endif %}\n{% endfor %}";
        assertThat(new ChatTemplate(template, Map.of()).render(List.of(), false, Map.of("tools", List.of("a", "b"))))
                .isEqualTo("  a   and  b "); // as Jinja2 3.1.6 renders it
    }

    @Test
    void aDictLiteralClosingRightBeforeTheExpressionEndDoesNotEndItEarly() {
        assertThat(Jinja2Whitespace.separateClosingBraces("{{ {'a': {'b': 1}} }}")).isEqualTo("{{ {'a': {'b': 1} } }}");
        assertThat(Jinja2Whitespace.separateClosingBraces("{{ {'a': 1}}}")).isEqualTo("{{ {'a': 1} }}");
        // text, string literals, comments and raw blocks are left alone
        String untouched = "}} {{ '}}}' }} {# {{}} #} {% raw %}{{ {}}} }}{% endraw %} {{ x }}";
        assertThat(Jinja2Whitespace.separateClosingBraces(untouched)).isSameAs(untouched);
        assertThat(new ChatTemplate("{{ {'a': {'b': [1, {'c': 2}]}} | tojson }}", Map.of()).render(List.of(), false, null))
                .isEqualTo("{\"a\": {\"b\": [1, {\"c\": 2}]}}");
    }

    @Test
    void undefinedIsNotNoneAndSelectattrUsesPythonTruthiness() {
        ChatTemplate template = new ChatTemplate("{{ nothing is none }} {{ m.missing is none }} {{ m.content is none }}"
                + " {{ l | selectattr('flag') | map(attribute='n') | join(',') }}"
                + " {{ l | rejectattr('flag') | map(attribute='n') | join(',') }}", Map.of());
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("content", null);
        List<Map<String, Object>> l = List.of(Map.of("n", 1, "flag", "false"), Map.of("n", 2, "flag", ""),
                Map.of("n", 3, "flag", "no"), Map.of("n", 4));
        assertThat(template.render(List.of(), false, Map.of("m", message, "l", l))).isEqualTo("False False True 1,3 2,4");
    }
}
