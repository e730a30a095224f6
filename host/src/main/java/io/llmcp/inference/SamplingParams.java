package io.llmcp.inference;

import java.util.List;

/**
 * How to pick tokens and when to stop. Nullable fields mean "use the model's generation_config.json default"
 * ({@link #orDefaults}); temperature 0 is greedy.
 */
public record SamplingParams(Integer maxNewTokens, Double temperature, Integer topK, Double topP,
                             Double repetitionPenalty, Long seed, List<String> stop) {
    public static final int DEFAULT_MAX_NEW_TOKENS = 256;

    public SamplingParams {
        stop = stop == null ? List.of() : List.copyOf(stop);
        if (maxNewTokens != null && maxNewTokens < 1) throw InferenceException.invalidInput("maxNewTokens", "must be at least 1");
        if (temperature != null && (temperature < 0 || temperature.isNaN())) {
            throw InferenceException.invalidInput("temperature", "must be 0 (greedy) or positive");
        }
        if (topK != null && topK < 0) throw InferenceException.invalidInput("topK", "must be 0 (off) or positive");
        if (topP != null && !(topP > 0 && topP <= 1)) throw InferenceException.invalidInput("topP", "must be in (0, 1]");
        if (repetitionPenalty != null && !(repetitionPenalty > 0)) {
            throw InferenceException.invalidInput("repetitionPenalty", "must be positive (1 = off)");
        }
        for (String s : stop) if (s == null || s.isEmpty()) throw InferenceException.invalidInput("stop", "must not contain empty strings");
    }

    public static SamplingParams greedy(int maxNewTokens) {
        return new SamplingParams(maxNewTokens, 0.0, null, null, null, null, List.of());
    }

    public static SamplingParams none() {
        return new SamplingParams(null, null, null, null, null, null, List.of());
    }

    public SamplingParams withStop(List<String> stops) {
        return new SamplingParams(maxNewTokens, temperature, topK, topP, repetitionPenalty, seed, stops);
    }

    public SamplingParams withSeed(Long s) {
        return new SamplingParams(maxNewTokens, temperature, topK, topP, repetitionPenalty, s, stop);
    }

    /** Fills every unset field from {@code defaults}, then from fixed fallbacks (greedy, no filtering). */
    public SamplingParams orDefaults(SamplingParams defaults) {
        return new SamplingParams(
                first(maxNewTokens, defaults.maxNewTokens, DEFAULT_MAX_NEW_TOKENS),
                first(temperature, defaults.temperature, 0.0),
                first(topK, defaults.topK, 0),
                first(topP, defaults.topP, 1.0),
                first(repetitionPenalty, defaults.repetitionPenalty, 1.0),
                seed, stop);
    }

    private static <T> T first(T a, T b, T c) {
        return a != null ? a : b != null ? b : c;
    }
}
