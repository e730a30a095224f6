package io.llmcp.tooling.testmodel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Benchmark models, built once per shape, seed and variant under a base directory and reused: a {@code .complete}
 * marker is written last, so an interrupted build is rebuilt instead of loaded half-written.
 */
public final class BenchModels {
    private static final String MARKER = ".complete";

    private BenchModels() {
    }

    /** The default base directory: {@code <tmp>/llmcp-bench-models}. */
    public static Path defaultBase() {
        return Path.of(System.getProperty("java.io.tmpdir"), "llmcp-bench-models");
    }

    /** Returns the model directory, building it first when needed; {@code built[0]} tells whether it was built. */
    public static Path ensure(Path base, LlamaShape shape, Variant variant, boolean[] built) {
        return ensure(base, shape, variant, Dtype.FP32, false, built);
    }

    /** As above in weight format {@code dtype}, with the weights in {@code onnx/<file>_data} when {@code externalData}. */
    public static Path ensure(Path base, LlamaShape shape, Variant variant, Dtype dtype, boolean externalData, boolean[] built) {
        String key = String.format("llama-l%d-h%d-a%d-kv%d-i%d-v%d-p%d-seed%d%s-%s", shape.layers(), shape.hidden(),
                shape.heads(), shape.kvHeads(), shape.intermediate(), shape.vocab(), shape.maxPositions(), shape.seed(),
                shape.tiedEmbeddings() ? "-tied" : "", variant.name().toLowerCase())
                + (dtype == Dtype.FP32 ? "" : "-" + dtype.id) + (externalData ? "-extdata" : "");
        Path dir = base.resolve(key);
        if (Files.exists(dir.resolve(MARKER))) {
            if (built != null) built[0] = false;
            return dir;
        }
        TestModels.writeModel(dir, shape, variant, ModelOptions.none().with(dtype));
        if (externalData) ExternalData.convert(dir, dtype.modelFile);
        try {
            Files.writeString(dir.resolve(MARKER), "built by llmcp\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (built != null) built[0] = true;
        return dir;
    }
}
