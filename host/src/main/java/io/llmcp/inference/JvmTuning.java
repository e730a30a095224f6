package io.llmcp.inference;

import java.util.ArrayList;
import java.util.List;

/**
 * The JVM options that processes loading models start with (the engine, the {@code llmcp} launchers, benchmark
 * children), unless the user gave their own.
 *
 * <p>Why: the models live in native memory; the Java heap only sees transient garbage (the store's 4 MiB page
 * buffers while a model is read, a copy of the logits per step). With G1's defaults the heap starts at 1/64 of the
 * RAM (384 MB here) and never shrinks below it, so that garbage left ~200 MB of touched heap resident next to a
 * 540 MB model. The serial collector with a small initial heap grows the heap only as live data needs it
 * ({@code llmcp bench memory}: whole-process RSS 1,050 → 936 MB on the SmolLM2-135M-shaped model; see
 * docs/BENCHMARKS.md). On the host's few threads its pauses are a few milliseconds.
 */
public final class JvmTuning {
    public static final List<String> OPTIONS = List.of("-XX:+UseSerialGC", "-Xms16m");
    /** The same, as one string for shell and batch launchers. */
    public static final String OPTIONS_TEXT = String.join(" ", OPTIONS);

    private JvmTuning() {
    }

    /** {@code given} plus each of {@link #OPTIONS} the user did not choose (a collector or an initial heap of their own). */
    public static List<String> withDefaults(List<String> given) {
        List<String> out = new ArrayList<>(given);
        boolean gc = given.stream().anyMatch(a -> a.matches("-XX:[+-]Use\\w*GC"));
        boolean xms = given.stream().anyMatch(a -> a.startsWith("-Xms") || a.startsWith("-XX:InitialHeapSize"));
        if (!gc) out.add(0, OPTIONS.get(0));
        if (!xms) out.add(gc ? 0 : 1, OPTIONS.get(1));
        return out;
    }
}
