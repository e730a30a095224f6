package io.llmcp.inference;

import io.llmcp.failure.Failure;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A Hugging Face {@code tokenizer.json} through DJL's Rust tokenizers. DJL would otherwise try to download a
 * native flavour matching a detected CUDA install and would truncate at 512 tokens by default; we pin the CPU
 * library bundled in the jar, offline mode, and no truncation or padding.
 */
public final class TextTokenizer implements AutoCloseable {
    static {
        // Only defaults: an operator can still point DJL elsewhere with -D or the environment.
        setDefault("ai.djl.offline", "true");
        setDefault("RUST_FLAVOR", "cpu");
    }

    private final HuggingFaceTokenizer tokenizer;
    private volatile boolean specialTokensForPrompts;

    private TextTokenizer(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
    }

    /**
     * Applies tokenizer_config.json's rules for plain prompts as transformers.js's text-generation pipeline does:
     * when {@code add_bos_token} or {@code add_eos_token} is true, a prompt is encoded with the special tokens
     * of tokenizer.json's post-processor (Gemma's {@code <bos>}, Llama's {@code <|begin_of_text|>}); otherwise
     * without. Chat prompts never get them (the template writes its own).
     */
    public TextTokenizer applyConfig(com.fasterxml.jackson.databind.JsonNode tokenizerConfig) {
        if (tokenizerConfig != null) {
            specialTokensForPrompts = tokenizerConfig.path("add_bos_token").asBoolean(false)
                    || tokenizerConfig.path("add_eos_token").asBoolean(false);
        }
        return this;
    }

    /** Whether plain prompts are encoded with the tokenizer's special tokens (see {@link #applyConfig}). */
    public boolean specialTokensForPrompts() {
        return specialTokensForPrompts;
    }

    /** A plain prompt's ids, with special tokens when the tokenizer config asks for them. */
    public long[] encodePrompt(String text) {
        return encode(text, specialTokensForPrompts);
    }

    /**
     * Where DJL extracts its native library (default {@code ~/.djl.ai}); call before the first tokenizer is made,
     * e.g. with a directory under the host's data dir.
     */
    public static void useNativeCacheDir(Path dir) {
        setDefault("ENGINE_CACHE_DIR", dir.toAbsolutePath().toString());
    }

    public static TextTokenizer fromFile(Path tokenizerJson) {
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new InferenceException(Failure.MODEL_INVALID, "tokenizer missing: " + tokenizerJson);
        }
        try (InputStream in = Files.newInputStream(tokenizerJson)) {
            return fromStream(in);
        } catch (IOException e) {
            throw new InferenceException(Failure.MODEL_INVALID, "cannot read tokenizer " + tokenizerJson + ": " + e.getMessage());
        }
    }

    public static TextTokenizer fromBytes(byte[] tokenizerJson) {
        try {
            return fromStream(new ByteArrayInputStream(tokenizerJson));
        } catch (IOException e) {
            throw new InferenceException(Failure.MODEL_INVALID, "cannot read tokenizer: " + e.getMessage());
        }
    }

    private static TextTokenizer fromStream(InputStream in) throws IOException {
        Map<String, String> options = Map.of(
                "addSpecialTokens", "false",
                "truncation", "false",
                "padding", "false",
                "maxLength", String.valueOf(Integer.MAX_VALUE / 2),
                "modelMaxLength", String.valueOf(Integer.MAX_VALUE / 2));
        try {
            return new TextTokenizer(HuggingFaceTokenizer.newInstance(in, options));
        } catch (RuntimeException e) {
            throw new InferenceException(Failure.MODEL_INVALID, "invalid tokenizer.json: " + e.getMessage(), null, e);
        }
    }

    /** Token ids of {@code text}; special-token strings in the text (as chat templates write them) become their ids. */
    public long[] encode(String text, boolean addSpecialTokens) {
        return tokenizer.encode(text, addSpecialTokens, false).getIds();
    }

    public long[] encode(String text) {
        return encode(text, false);
    }

    /** Text of {@code ids}, leaving out special tokens such as eos. */
    public String decode(long[] ids) {
        return tokenizer.decode(ids, true);
    }

    public String decode(long[] ids, boolean skipSpecialTokens) {
        return tokenizer.decode(ids, skipSpecialTokens);
    }

    /** Texts of many id sequences at once, leaving out special tokens (one native call). */
    public String[] decodeBatch(long[][] ids) {
        return tokenizer.batchDecode(ids, true);
    }

    /** A detokenizer for streaming; {@code context} are preceding ids (e.g. the prompt's tail) that shape spacing. */
    public StreamingDetokenizer streaming(long[] context) {
        return new StreamingDetokenizer(this, context);
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null && System.getenv(key) == null) System.setProperty(key, value);
    }
}
