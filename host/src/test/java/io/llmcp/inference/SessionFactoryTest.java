package io.llmcp.inference;

import static io.llmcp.Coded.coded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.llmcp.protocol.ErrorCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionFactoryTest {
    private static final int K = 24, N = 10;
    private final SessionFactory factory = new SessionFactory(new OrtRuntime(OrtRuntime.Settings.defaults()));

    @TempDir
    Path dir;

    @Test
    void scannerFindsExternalInitializersInTwoParts() throws Exception {
        MatMulModelWriter.write(dir, K, N, 2);
        var model = java.nio.ByteBuffer.wrap(Files.readAllBytes(dir.resolve("model.onnx")));
        List<OnnxGraphScanner.ExternalTensor> ext = OnnxGraphScanner.externalInitializers(model);
        assertThat(ext).extracting(OnnxGraphScanner.ExternalTensor::name).containsExactly("W", "B");
        assertThat(ext.get(0).location()).isEqualTo("model.onnx_data");
        assertThat(ext.get(0).dims()).containsExactly(K, N);
        assertThat(ext.get(0).length()).isEqualTo(4L * K * N);
        assertThat(ext.get(1).location()).isEqualTo("model.onnx_data_1");
        assertThat(ext.get(1).offset()).isZero();
        assertThat(model.position()).isZero();
    }

    @Test
    void loadsExternalDataFromTwoPartsThroughDirectBuffers() throws Exception {
        MatMulModelWriter.write(dir, K, N, 2);
        checkComputes(dir);
    }

    @Test
    void loadsOnePartAndInlineModels() throws Exception {
        MatMulModelWriter.write(dir.resolve("one"), K, N, 1);
        checkComputes(dir.resolve("one"));
        MatMulModelWriter.write(dir.resolve("inline"), K, N, 0);
        checkComputes(dir.resolve("inline"));
    }

    @Test
    void largeInlineWeightsAreMovedOutOfTheGraphAndStillCompute() throws Exception {
        int k = 128, n = 64; // W is 32 KiB: over the threshold, so it reaches ORT as an external initializer
        MatMulModelWriter.write(dir, k, n, 0);
        byte[] file = Files.readAllBytes(dir.resolve("model.onnx"));
        var scan = OnnxGraphScanner.scan(java.nio.ByteBuffer.wrap(file));
        assertThat(scan.external()).isEmpty();
        assertThat(scan.inline()).extracting(OnnxGraphScanner.InlineTensor::name).containsExactly("W", "B");
        byte[] graphOnly = OnnxGraphScanner.withInlineMovedOut(java.nio.ByteBuffer.wrap(file), java.util.Set.of("W"));
        assertThat(graphOnly.length).isLessThan(1024);
        var rescan = OnnxGraphScanner.scan(java.nio.ByteBuffer.wrap(graphOnly));
        assertThat(rescan.external()).singleElement().satisfies(t -> {
            assertThat(t.name()).isEqualTo("W");
            assertThat(t.length()).isEqualTo(4L * k * n);
            assertThat(t.dims()).containsExactly(k, n);
        });
        assertThat(rescan.inline()).extracting(OnnxGraphScanner.InlineTensor::name).containsExactly("B");

        ModelSource src = new DirectoryModelSource("inline", dir);
        float[][] x = new float[1][k];
        for (int i = 0; i < k; i++) x[0][i] = (i % 7) - 3;
        try (ModelSession s = factory.open(src, "model.onnx");
             OnnxTensor input = OnnxTensor.createTensor(factory.runtime().env(), x);
             OrtSession.Result r = s.session().run(Map.of("X", input))) {
            float[][] y = (float[][]) r.get(0).getValue();
            for (int c = 0; c < n; c++) {
                float want = MatMulModelWriter.bias(c);
                for (int i = 0; i < k; i++) want += x[0][i] * MatMulModelWriter.weight(i, c);
                assertThat(y[0][c]).isCloseTo(want, org.assertj.core.data.Offset.offset(1e-3f));
            }
        }
    }

    @Test
    void externalDataIsReadInRangedSegmentsWhenAPartExceedsTheSegmentSize() throws Exception {
        // One part holding W and B, segments of at most 64 bytes: W and B each get their own ranged read.
        MatMulModelWriter.write(dir, K, N, 1);
        checkComputes(dir, new SessionFactory(factory.runtime(), 64, null));
    }

    private void checkComputes(Path modelDir) throws Exception {
        checkComputes(modelDir, factory);
    }

    private void checkComputes(Path modelDir, SessionFactory factory) throws Exception {
        ModelSource src = new DirectoryModelSource("matmul", modelDir);
        float[][] x = new float[2][K];
        for (int b = 0; b < 2; b++) for (int i = 0; i < K; i++) x[b][i] = (i + 1) * (b == 0 ? 0.5f : -0.25f);
        try (ModelSession s = factory.open(src, "model.onnx");
             OnnxTensor input = OnnxTensor.createTensor(factory.runtime().env(), x);
             OrtSession.Result r = s.session().run(Map.of("X", input))) {
            assertThat(s.provider()).isEqualTo("CPU");
            float[][] y = (float[][]) r.get(0).getValue();
            for (int b = 0; b < 2; b++) {
                for (int c = 0; c < N; c++) {
                    float want = MatMulModelWriter.bias(c);
                    for (int i = 0; i < K; i++) want += x[b][i] * MatMulModelWriter.weight(i, c);
                    assertThat(y[b][c]).as("y[%d][%d]", b, c).isCloseTo(want, org.assertj.core.data.Offset.offset(1e-3f));
                }
            }
        }
    }

    @Test
    void ortCopiesExternalInitializersOnCpuSoOurBuffersAreFreed() {
        // Documents the finding SessionFactory relies on (with ORT 1.24.2); if a later ORT reads them in place,
        // this fails and the factory keeps the buffers alive instead of freeing them.
        assertThat(ExternalInitializerProbe.ortCopiesOnCpu(factory.runtime())).isTrue();
    }

    @Test
    void corruptOnnxIsModelInvalid() throws Exception {
        Files.write(dir.resolve("model.onnx"), "this is not a protobuf at all, just text".getBytes());
        ModelSource src = new DirectoryModelSource("broken", dir);
        assertThatThrownBy(() -> factory.open(src, "model.onnx"))
                .satisfies(coded(e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.MODEL_INVALID);
                    assertThat(e.getMessage()).contains("broken").contains("model.onnx").contains("pull the model again");
                }));
    }

    @Test
    void truncatedOnnxIsModelInvalid() throws Exception {
        MatMulModelWriter.write(dir, K, N, 0);
        byte[] all = Files.readAllBytes(dir.resolve("model.onnx"));
        Files.write(dir.resolve("model.onnx"), java.util.Arrays.copyOf(all, all.length / 2));
        ModelSource src = new DirectoryModelSource("cut", dir);
        assertThatThrownBy(() -> factory.open(src, "model.onnx"))
                .satisfies(coded(e -> assertThat(e.code()).isEqualTo(ErrorCodes.MODEL_INVALID)));
    }

    @Test
    void missingModelFileAndMissingDataPartAreModelInvalid() throws Exception {
        MatMulModelWriter.write(dir, K, N, 2);
        Files.delete(dir.resolve("model.onnx_data_1"));
        ModelSource src = new DirectoryModelSource("partial", dir);
        assertThatThrownBy(() -> factory.open(src, "model.onnx"))
                .satisfies(coded(e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.MODEL_INVALID);
                    assertThat(e.getMessage()).contains("model.onnx_data_1").contains("missing");
                }));
        assertThatThrownBy(() -> factory.open(src, "onnx/other.onnx"))
                .satisfies(coded(e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.MODEL_INVALID);
                    assertThat(e.getMessage()).contains("onnx/other.onnx").contains("missing");
                }));
    }

    @Test
    void externalDataOutsideTheModelOrBeyondItsFileIsRefused() throws Exception {
        MatMulModelWriter.write(dir, K, N, 1);
        Files.write(dir.resolve("model.onnx"), MatMulModelWriter.externalModelProto(K, N, "../secret", 0, "model.onnx_data", 0));
        ModelSource hostile = new DirectoryModelSource("hostile", dir);
        assertThatThrownBy(() -> factory.open(hostile, "model.onnx"))
                .satisfies(coded(e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.MODEL_INVALID);
                    assertThat(e.getMessage()).contains("outside the model");
                }));
        Files.write(dir.resolve("model.onnx"), MatMulModelWriter.externalModelProto(K, N, "model.onnx_data", 1L << 20, "model.onnx_data", 0));
        ModelSource beyond = new DirectoryModelSource("beyond", dir);
        assertThatThrownBy(() -> factory.open(beyond, "model.onnx"))
                .satisfies(coded(e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.MODEL_INVALID);
                    assertThat(e.getMessage()).contains("lies outside");
                }));
    }

    @Test
    void cudaFailureFallsBackToCpuWithTheReason() throws Exception {
        MatMulModelWriter.write(dir, K, N, 1);
        ProviderAttempt noGpu = (options, provider) -> {
            if (OrtRuntime.CUDA.equals(provider)) throw new OrtException("forced: no CUDA device in this test");
        };
        OrtRuntime runtime = new OrtRuntime(new OrtRuntime.Settings("cuda", 1, 1, 0), noGpu);
        assertThat(runtime.preferredProvider()).isEqualTo("CUDA");
        try (ModelSession s = new SessionFactory(runtime).open(new DirectoryModelSource("m", dir), "model.onnx")) {
            assertThat(s.provider()).isEqualTo("CPU");
            assertThat(s.fallbackReason()).contains("CUDA unavailable").contains("forced: no CUDA device");
        }
        assertThat(runtime.describe().path("fallbackReason").asText()).contains("forced");
        assertThat(runtime.describe().path("lastProvider").asText()).isEqualTo("CPU");
    }

    @Test
    void realCudaRequestOnCpuBuildFallsBack() throws Exception {
        // The CPU-only onnxruntime artifact has no CUDA provider: addCUDA itself fails, and we must still load.
        MatMulModelWriter.write(dir, K, N, 0);
        OrtRuntime runtime = new OrtRuntime(new OrtRuntime.Settings("cuda", 0, 0, 0));
        try (ModelSession s = new SessionFactory(runtime).open(new DirectoryModelSource("m", dir), "model.onnx")) {
            if (!ai.onnxruntime.OrtEnvironment.getAvailableProviders().contains(ai.onnxruntime.OrtProvider.CUDA)) {
                assertThat(s.provider()).isEqualTo("CPU");
                assertThat(s.fallbackReason()).isNotBlank();
            }
        }
    }
}
