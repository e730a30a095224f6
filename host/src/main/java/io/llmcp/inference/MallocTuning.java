package io.llmcp.inference;

import java.util.Map;

/**
 * The C allocator setting that processes loading models start with (glibc only; other C libraries ignore it).
 *
 * <p>Why: glibc raises its mmap threshold each time a large block that was mmapped is freed (up to 32 MiB). The
 * store's reads free 4 MiB buffers, so afterwards ONNX Runtime's initializer copies (1–4 MiB each, freed once the
 * weights are prepacked) came from malloc arenas instead of private mappings, and the freed arenas were not given
 * back: loading a 517 MB model from the store left RSS at 1.97× the model instead of 1.41×, peak 2.97× instead of
 * 2.41× ({@code llmcp bench load}). A fixed threshold turns that adaptation off; decode speed was unchanged
 * ({@code llmcp bench generate}: 61.3 vs 64.3 tok/s, within run-to-run noise; peak RSS 1060 vs 1313 MB).
 * glibc reads the variable once at start-up, so it is set for child processes (the engine, benchmark children) and
 * by the launcher scripts, never in a running JVM.
 */
public final class MallocTuning {
    public static final String VARIABLE = "MALLOC_MMAP_THRESHOLD_";
    public static final String THRESHOLD_BYTES = "1048576";

    private MallocTuning() {
    }

    /** Sets the threshold in a child's environment unless the user chose one. */
    public static void applyTo(Map<String, String> environment) {
        environment.putIfAbsent(VARIABLE, THRESHOLD_BYTES);
    }
}
