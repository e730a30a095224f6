package io.llmcp.models;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.llmcp.failure.Details;
import io.llmcp.failure.Failure;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a repo can chat once pulled. A text-generation model without {@code tokenizer.json} downloads fine and then
 * fails at its first message; pulling gigabytes to learn that is the worst moment, so a pull refuses it as soon as the
 * plan shows the file is absent, before any byte of the model file is stored.
 */
public final class ChatReadiness {
    public static final String TOKENIZER = "tokenizer.json";
    /** model_types that encode and never generate: an embedding model is not refused for what a chat needs. */
    private static final Set<String> ENCODERS = Set.of("bert", "roberta", "xlm-roberta", "distilbert", "mpnet", "albert",
            "electra", "deberta", "deberta-v2", "camembert", "nomic_bert", "modernbert", "clip", "siglip", "vit");

    /** What config.json says about the kind of model (the rest of the file does not matter here). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Kind(List<String> architectures, @JsonProperty("model_type") String modelType) {
    }

    private ChatReadiness() {
    }

    /**
     * A config.json that describes a text generator: an architecture named like transformers' generators
     * ({@code …ForCausalLM}, {@code …LMHeadModel}, {@code …ForConditionalGeneration}); without architectures, any
     * {@code model_type} that is not a known encoder. A config with neither says nothing, and is not judged.
     */
    public static boolean generatesText(Kind kind) {
        if (kind == null) return false;
        if (kind.architectures() != null && !kind.architectures().isEmpty()) {
            for (String name : kind.architectures()) {
                if (name == null) continue;
                if (name.endsWith("ForCausalLM") || name.endsWith("LMHeadModel") || name.endsWith("ForConditionalGeneration")) return true;
            }
            return false;
        }
        String type = kind.modelType() == null ? "" : kind.modelType().toLowerCase(Locale.ROOT);
        return !type.isEmpty() && !ENCODERS.contains(type);
    }

    /** Why a repo with these files cannot chat, or null when nothing is missing. */
    public static String problem(boolean generatesText, boolean hasTokenizer) {
        if (!generatesText || hasTokenizer) return null;
        return "the repository has no " + TOKENIZER + ", which the host needs to turn text into tokens";
    }

    /** Throws MODEL_INVALID (details: {@code missing}, {@code reason}) for a text generator without a tokenizer. */
    public static void requireTokenizer(String modelId, Kind kind, boolean hasTokenizer) {
        String problem = problem(generatesText(kind), hasTokenizer);
        if (problem == null) return;
        throw new ModelException(Failure.MODEL_INVALID, modelId + " is not usable for chat: " + problem
                + "; no model file was downloaded. Pick a repository made for transformers.js (onnx-community/…), which ships it",
                Details.of("missing", List.of(TOKENIZER), "reason", "no-tokenizer"));
    }
}
