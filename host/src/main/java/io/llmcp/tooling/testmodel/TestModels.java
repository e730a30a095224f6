package io.llmcp.tooling.testmodel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes a complete model directory laid out like an onnx-community repository: {@code onnx/model.onnx},
 * {@code config.json}, {@code generation_config.json}, {@code tokenizer.json}, {@code tokenizer_config.json}
 * with a ChatML {@code chat_template}. Deterministic (same shape and seed, same bytes) and offline.
 */
public final class TestModels {
    public static final String MODEL_FILE = "onnx/model.onnx";
    /** Merges trained for every test tokenizer; fixed so token ids never change between builds. */
    public static final int MERGES = 300;
    public static final String CHATML_TEMPLATE = "{% for message in messages %}"
            + "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}"
            + "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    /** Room after the trained vocabulary for each family's own special tokens. */
    public static final int EXTRA_TOKENS = 8;

    public static final String QWEN3_TEMPLATE = "{%- for message in messages %}"
            + "{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>\\n' }}{%- endfor %}"
            + "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}"
            + "{%- if enable_thinking is defined and enable_thinking is false %}{{- '<think>\\n\\n</think>\\n\\n' }}{%- endif %}"
            + "{%- endif %}";
    public static final String GEMMA_TEMPLATE = "{{ bos_token }}{%- if messages[0]['role'] == 'system' -%}"
            + "{%- set first_user_prefix = messages[0]['content'] + '\\n\\n' -%}{%- set loop_messages = messages[1:] -%}"
            + "{%- else -%}{%- set first_user_prefix = \"\" -%}{%- set loop_messages = messages -%}{%- endif -%}"
            + "{%- for message in loop_messages -%}{%- if (message['role'] == 'user') != (loop.index0 % 2 == 0) -%}"
            + "{{ raise_exception(\"Conversation roles must alternate user/assistant/user/assistant/...\") }}{%- endif -%}"
            + "{%- if (message['role'] == 'assistant') -%}{%- set role = \"model\" -%}{%- else -%}{%- set role = message['role'] -%}{%- endif -%}"
            + "{{ '<start_of_turn>' + role + '\\n' + (first_user_prefix if loop.first else \"\") }}"
            + "{{ message['content'] | trim }}{{ '<end_of_turn>\\n' }}{%- endfor -%}"
            + "{%- if add_generation_prompt -%}{{'<start_of_turn>model\\n'}}{%- endif -%}";
    public static final String PHI3_TEMPLATE = "{% for message in messages %}"
            + "{{'<|' + message['role'] + '|>\\n' + message['content'] + '<|end|>\\n'}}{% endfor %}"
            + "{% if add_generation_prompt %}{{ '<|assistant|>\\n' }}{% endif %}";
    public static final String MISTRAL_TEMPLATE = "{{ bos_token }}{% for message in messages %}"
            + "{% if message['role'] == 'user' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}"
            + "{% elif message['role'] == 'system' %}{{ '[INST] ' + message['content'] + ' [/INST]' }}"
            + "{% else %}{{ message['content'] + eos_token }}{% endif %}{% endfor %}";
    public static final String TOOL_TEMPLATE = "{{ '<|im_start|>system\\nTools: ' + (tools | tojson) + '<|im_end|>\\n' }}"
            + CHATML_TEMPLATE;

    /**
     * A family's tokens and chat format: its special tokens after the trained vocabulary, bos (when its tokenizer
     * adds one: then {@code add_bos_token} is true as in Gemma's and Mistral's tokenizer_config.json), eos tokens,
     * and where its chat template lives.
     */
    record Flavor(List<String> specials, List<String> plainAdded, String bos, List<String> eos, String template,
                  TemplatePlace place) {
    }

    /** Where the template is written; JINJA_FILE also puts it in tokenizer_config.json (transformers.js reads only that). */
    enum TemplatePlace { CONFIG_STRING, CONFIG_NAMED_LIST, JINJA_FILE, NONE }

    static Flavor flavor(Architecture a) {
        String im = ByteLevelBpe.IM_END;
        String eot = ByteLevelBpe.END_OF_TEXT;
        return switch (a) {
            case LLAMA -> new Flavor(List.of(), List.of(), null, List.of(im), CHATML_TEMPLATE, TemplatePlace.CONFIG_STRING);
            case QWEN2 -> new Flavor(List.of(), List.of(), null, List.of(im, eot), CHATML_TEMPLATE, TemplatePlace.CONFIG_STRING);
            case QWEN3 -> new Flavor(List.of(), List.of("<think>", "</think>"), null, List.of(im, eot), QWEN3_TEMPLATE,
                    TemplatePlace.JINJA_FILE);
            case SMOLLM3 -> new Flavor(List.of(), List.of(), null, List.of(im), CHATML_TEMPLATE, TemplatePlace.CONFIG_NAMED_LIST);
            case PHI3 -> new Flavor(List.of("<|user|>", "<|assistant|>", "<|system|>", "<|end|>"), List.of(), null,
                    List.of("<|end|>", eot), PHI3_TEMPLATE, TemplatePlace.CONFIG_STRING);
            case MISTRAL -> new Flavor(List.of("<s>", "</s>", "[INST]", "[/INST]"), List.of(), "<s>", List.of("</s>"),
                    MISTRAL_TEMPLATE, TemplatePlace.CONFIG_STRING);
            case GEMMA2, GEMMA3_TEXT -> new Flavor(List.of("<bos>", "<eos>", "<start_of_turn>", "<end_of_turn>"), List.of(),
                    "<bos>", List.of("<eos>", "<end_of_turn>"), GEMMA_TEMPLATE, TemplatePlace.CONFIG_STRING);
            case GPT2 -> new Flavor(List.of(), List.of(), null, List.of(eot), null, TemplatePlace.NONE);
        };
    }

    private TestModels() {
    }

    /** The tiny shape for a family (GPT-2 has as many KV heads as heads), with room for its special tokens. */
    public static LlamaShape tinyShape(Architecture a) {
        LlamaShape t = tinyShape();
        int kvHeads = a == Architecture.GPT2 ? t.heads() : t.kvHeads();
        return new LlamaShape(t.layers(), t.hidden(), t.heads(), kvHeads, t.intermediate(), t.vocab() + EXTRA_TOKENS,
                t.maxPositions(), t.seed(), t.tiedEmbeddings());
    }

    /** A model of the conformance suite. */
    public record SuiteModel(Path dir, Architecture architecture, Dtype dtype, Variant variant) {
    }

    /**
     * Writes {@code <dir>/<arch>-<dtype>} for every family and weight format, plus the onnxruntime-genai builder's
     * GroupQueryAttention layout ({@code <arch>-gqa-<dtype>}) for llama and qwen2 in fp32 and q4.
     */
    public static List<SuiteModel> writeSuite(Path dir, int maxPositions) {
        List<SuiteModel> out = new java.util.ArrayList<>();
        for (Architecture a : Architecture.values()) {
            for (Dtype d : Dtype.values()) out.add(writeSuiteModel(dir, a, d, Variant.KV_CACHE, maxPositions));
        }
        for (Architecture a : List.of(Architecture.LLAMA, Architecture.QWEN2)) {
            for (Dtype d : List.of(Dtype.FP32, Dtype.Q4)) out.add(writeSuiteModel(dir, a, d, Variant.GROUP_QUERY_ATTENTION, maxPositions));
        }
        return out;
    }

    private static SuiteModel writeSuiteModel(Path dir, Architecture a, Dtype d, Variant v, int maxPositions) {
        LlamaShape t = tinyShape(a);
        LlamaShape shape = new LlamaShape(t.layers(), t.hidden(), t.heads(), t.kvHeads(), t.intermediate(), t.vocab(),
                maxPositions, t.seed(), t.tiedEmbeddings());
        ModelOptions o = ModelOptions.none().with(a).with(d);
        if (a == Architecture.SMOLLM3) o = o.withNumLogitsToKeep();
        String name = a.id() + (v == Variant.GROUP_QUERY_ATTENTION ? "-gqa-" : "-") + d.id;
        return new SuiteModel(writeModel(dir.resolve(name), shape, v, o), a, d, v);
    }

    /** The tokenizer all test models share. */
    public static ByteLevelBpe tokenizer() {
        return ByteLevelBpe.train(MERGES);
    }

    /** The tiny test shape, with the vocabulary of {@link #tokenizer()}. */
    public static LlamaShape tinyShape() {
        return LlamaShape.tiny(tokenizer().size());
    }

    public static Path writeTinyChatModel(Path dir, Variant variant) {
        return writeModel(dir, tinyShape(), variant, ModelOptions.none());
    }

    public static Path writeModel(Path dir, LlamaShape shape, Variant variant) {
        return writeModel(dir, shape, variant, ModelOptions.none());
    }

    /** Writes the directory and returns it. */
    public static Path writeModel(Path dir, LlamaShape shape, Variant variant, ModelOptions options) {
        try {
            ByteLevelBpe bpe = tokenizer();
            if (shape.vocab() < bpe.size()) {
                throw new IllegalArgumentException("vocab " + shape.vocab() + " is smaller than the tokenizer's " + bpe.size());
            }
            Files.createDirectories(dir);
            Architecture arch = options.architecture();
            Flavor f = flavor(arch);
            ObjectNode tokenizer = bpe.tokenizerJson(shape.vocab(), f.specials(), f.plainAdded(), f.bos());
            writeJson(dir.resolve("tokenizer.json"), tokenizer);
            if (arch == Architecture.LLAMA) {
                writeJson(dir.resolve("tokenizer_config.json"), tokenizerConfig(shape));
                writeJson(dir.resolve("config.json"), config(shape, bpe));
                writeJson(dir.resolve("generation_config.json"), generationConfig());
            } else {
                writeJson(dir.resolve("tokenizer_config.json"), tokenizerConfig(shape, f));
                if (f.place() == TemplatePlace.JINJA_FILE) Files.writeString(dir.resolve("chat_template.jinja"), f.template());
                ObjectNode config = config(shape, arch, tokenizer, f);
                writeJson(dir.resolve("config.json"), config);
                ObjectNode gen = Json.object();
                if (config.has("bos_token_id")) gen.set("bos_token_id", config.get("bos_token_id"));
                gen.set("eos_token_id", config.get("eos_token_id"));
                writeJson(dir.resolve("generation_config.json"), gen);
            }
            DecoderGraphBuilder.write(shape, variant, options, dir.resolve(options.dtype().modelFile));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static int tokenId(String special) {
        int i = ByteLevelBpe.SPECIALS.indexOf(special);
        if (i < 0) throw new IllegalArgumentException("not a special token: " + special);
        return i;
    }

    static int idOf(ObjectNode tokenizer, String content) {
        for (var t : tokenizer.get("added_tokens")) if (t.get("content").asText().equals(content)) return t.get("id").asInt();
        throw new IllegalArgumentException("no token " + content);
    }

    /** config.json as the family's own repos write it (GPT-2 with its n_* names). */
    private static ObjectNode config(LlamaShape shape, Architecture a, ObjectNode tokenizer, Flavor f) {
        ObjectNode c = Json.object();
        c.putArray("architectures").add(a.className);
        c.put("model_type", a.modelType);
        if (f.bos() != null) c.put("bos_token_id", idOf(tokenizer, f.bos()));
        if (f.eos().size() == 1) c.put("eos_token_id", idOf(tokenizer, f.eos().get(0)));
        else f.eos().forEach(e -> ((com.fasterxml.jackson.databind.node.ArrayNode) (c.has("eos_token_id") ? c.get("eos_token_id")
                : c.putArray("eos_token_id"))).add(idOf(tokenizer, e)));
        if (a == Architecture.GPT2) {
            c.put("n_embd", shape.hidden());
            c.put("n_head", shape.heads());
            c.put("n_layer", shape.layers());
            c.put("n_positions", shape.maxPositions());
            c.put("n_inner", shape.intermediate());
            c.put("activation_function", "gelu_new");
            c.put("layer_norm_epsilon", 1e-5);
        } else {
            c.put("hidden_act", a.gemma() ? "gelu_pytorch_tanh" : "silu");
            c.put("hidden_size", shape.hidden());
            c.put("head_dim", shape.headDim());
            c.put("intermediate_size", shape.intermediate());
            c.put("max_position_embeddings", shape.maxPositions());
            c.put("num_attention_heads", shape.heads());
            c.put("num_hidden_layers", shape.layers());
            c.put("num_key_value_heads", shape.kvHeads());
            c.put("rms_norm_eps", a.gemma() ? 1e-6 : 1e-5);
            c.put("rope_theta", 10000.0);
        }
        if (a.gemma()) {
            c.put("query_pre_attn_scalar", shape.headDim());
            c.put("sliding_window", 4096);
            if (a == Architecture.GEMMA2) {
                c.put("attn_logit_softcapping", 50.0);
                c.put("final_logit_softcapping", 30.0);
            } else {
                c.put("rope_local_base_freq", 10000.0);
            }
        }
        if (a == Architecture.SMOLLM3) {
            var noRope = c.putArray("no_rope_layers");
            for (int i = 0; i < shape.layers(); i++) noRope.add(a.ropeInLayer(i) ? 1 : 0);
        }
        if (a == Architecture.QWEN2) c.put("attention_bias", true);
        c.put("tie_word_embeddings", shape.tiedEmbeddings());
        c.put("torch_dtype", "float32");
        c.put("vocab_size", shape.vocab());
        return c;
    }

    private static ObjectNode tokenizerConfig(LlamaShape shape, Flavor f) {
        ObjectNode c = Json.object();
        c.put("add_bos_token", f.bos() != null);
        c.put("add_eos_token", false);
        if (f.bos() != null) c.put("bos_token", f.bos());
        c.put("eos_token", f.eos().get(0));
        c.put("pad_token", ByteLevelBpe.END_OF_TEXT);
        c.put("unk_token", ByteLevelBpe.END_OF_TEXT);
        c.put("clean_up_tokenization_spaces", false);
        c.put("model_max_length", shape.maxPositions());
        c.put("tokenizer_class", "PreTrainedTokenizerFast");
        switch (f.place()) {
            case CONFIG_STRING, JINJA_FILE -> c.put("chat_template", f.template());
            case CONFIG_NAMED_LIST -> {
                var list = c.putArray("chat_template");
                list.addObject().put("name", "default").put("template", f.template());
                list.addObject().put("name", "tool_use").put("template", TOOL_TEMPLATE);
            }
            default -> {
            }
        }
        return c;
    }

    private static ObjectNode config(LlamaShape shape, ByteLevelBpe bpe) {
        ObjectNode c = Json.object();
        c.putArray("architectures").add("LlamaForCausalLM");
        c.put("model_type", "llama");
        c.put("bos_token_id", tokenId(ByteLevelBpe.IM_START));
        c.put("eos_token_id", tokenId(ByteLevelBpe.IM_END));
        c.put("hidden_act", "silu");
        c.put("hidden_size", shape.hidden());
        c.put("head_dim", shape.headDim());
        c.put("intermediate_size", shape.intermediate());
        c.put("max_position_embeddings", shape.maxPositions());
        c.put("num_attention_heads", shape.heads());
        c.put("num_hidden_layers", shape.layers());
        c.put("num_key_value_heads", shape.kvHeads());
        c.put("rms_norm_eps", 1e-5);
        c.put("rope_theta", 10000.0);
        c.put("tie_word_embeddings", shape.tiedEmbeddings());
        c.put("torch_dtype", "float32");
        c.put("vocab_size", shape.vocab());
        return c;
    }

    /** eos is a list here, as in many real repos: generation stops on either token. */
    private static ObjectNode generationConfig() {
        ObjectNode c = Json.object();
        c.put("bos_token_id", tokenId(ByteLevelBpe.IM_START));
        c.putArray("eos_token_id").add(tokenId(ByteLevelBpe.IM_END)).add(tokenId(ByteLevelBpe.END_OF_TEXT));
        return c;
    }

    private static ObjectNode tokenizerConfig(LlamaShape shape) {
        ObjectNode c = Json.object();
        c.put("add_bos_token", false);
        c.put("add_prefix_space", false);
        c.put("bos_token", ByteLevelBpe.IM_START);
        c.put("eos_token", ByteLevelBpe.IM_END);
        c.put("pad_token", ByteLevelBpe.END_OF_TEXT);
        c.put("unk_token", ByteLevelBpe.END_OF_TEXT);
        c.put("clean_up_tokenization_spaces", false);
        c.put("model_max_length", shape.maxPositions());
        c.put("tokenizer_class", "GPT2Tokenizer");
        c.put("chat_template", CHATML_TEMPLATE);
        return c;
    }

    private static void writeJson(Path file, ObjectNode node) throws IOException {
        Files.write(file, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(node));
    }
}
