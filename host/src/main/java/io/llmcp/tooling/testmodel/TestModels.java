package io.llmcp.tooling.testmodel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

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

    private TestModels() {
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
            writeJson(dir.resolve("tokenizer.json"), bpe.tokenizerJson(shape.vocab()));
            writeJson(dir.resolve("tokenizer_config.json"), tokenizerConfig(shape));
            writeJson(dir.resolve("config.json"), config(shape, bpe));
            writeJson(dir.resolve("generation_config.json"), generationConfig());
            LlamaGraphBuilder.write(shape, variant, options, dir.resolve(MODEL_FILE));
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
