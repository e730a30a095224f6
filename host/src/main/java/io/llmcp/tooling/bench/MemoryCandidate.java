package io.llmcp.tooling.bench;

import io.llmcp.inference.OrtRuntime;
import java.util.Map;

/**
 * The ways of loading a model that {@code bench memory} compares: how the weights reach ONNX Runtime (files it
 * memory-maps, or direct buffers it copies), whether ORT prepacks them, and whether its thread pool spins.
 */
enum MemoryCandidate {
    /** The new default: the model written under the data dir, ORT maps it; prepacking on, no spinning. */
    FILES("files", true, true, false, Map.of()),
    /** The previous default: model bytes in direct buffers, weights as external initializers (ORT copies them). */
    BUFFERS("buffers", false, true, false, Map.of()),
    FILES_NOPREPACK("files-noprepack", true, false, false, Map.of()),
    /** Without ORT's CPU arena: activations are malloc'd and freed per run instead of kept at their high-water mark. */
    FILES_NOARENA("files-noarena", true, true, false, Map.of()),
    BUFFERS_NOPREPACK("buffers-noprepack", false, false, false, Map.of()),
    /** ORT's default spin-waiting pool (spins between and after runs). */
    FILES_SPIN("files-spin", true, true, true, Map.of()),
    /** Spinning while a run is in progress, stopped when each run ends. */
    FILES_SPIN_STOP("files-spin-stop", true, true, true, Map.of("session.force_spinning_stop", "1"));

    private final String id;
    private final boolean mapped;
    private final boolean prepack;
    private final boolean spinning;
    private final Map<String, String> extraConfig;

    MemoryCandidate(String id, boolean mapped, boolean prepack, boolean spinning, Map<String, String> extraConfig) {
        this.id = id;
        this.mapped = mapped;
        this.prepack = prepack;
        this.spinning = spinning;
        this.extraConfig = extraConfig;
    }

    String id() {
        return id;
    }

    boolean mapped() {
        return mapped;
    }

    OrtRuntime runtime() {
        OrtRuntime.Settings s = new OrtRuntime.Settings("cpu", 0, 1, 0).withPrepack(prepack).withSpinning(spinning)
                .withCpuArena(this != FILES_NOARENA);
        return new OrtRuntime(s, extraConfig);
    }
}
