package io.llmcp.inference;

import static io.llmcp.Coded.coded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtSession;
import io.llmcp.protocol.ErrorCodes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading through files ONNX Runtime memory-maps ({@link MappedModelFiles}): same results, nothing left behind. */
class MappedLoadTest {
    private static final OrtRuntime RUNTIME = new OrtRuntime(OrtRuntime.Settings.defaults());

    @TempDir
    Path dir;

    @Test
    void inlineWeightsAreMappedFromTheWrittenModelFileAndTheFilesAreGoneAfterTheLoad() throws Exception {
        int k = 128, n = 64; // W is 32 KiB: re-pointed into the copied .onnx; B stays inline
        MatMulModelWriter.write(dir.resolve("m"), k, n, 0);
        Path root = dir.resolve("mapped");
        SessionFactory factory = new SessionFactory(RUNTIME, root);
        checkComputes(factory, dir.resolve("m"), k, n);
        assertThat(leftUnder(root)).as("files removed once the session existed").isZero();
    }

    @Test
    void externalDataPartsAreWrittenBesideTheModelAndMapped() throws Exception {
        MatMulModelWriter.write(dir.resolve("m"), 24, 10, 2);
        Path root = dir.resolve("mapped");
        checkComputes(new SessionFactory(RUNTIME, root), dir.resolve("m"), 24, 10);
        assertThat(leftUnder(root)).isZero();
    }

    @Test
    void theGraphPointsInlineTensorsAtTheirOwnOffsetsInTheModelFile() throws Exception {
        MatMulModelWriter.write(dir.resolve("m"), 128, 64, 0);
        byte[] file = Files.readAllBytes(dir.resolve("m/model.onnx"));
        var inline = OnnxGraphScanner.scan(java.nio.ByteBuffer.wrap(file)).inline();
        var w = inline.stream().filter(t -> t.name().equals("W")).findFirst().orElseThrow();
        byte[] graph = OnnxGraphScanner.withInlineAsExternal(java.nio.ByteBuffer.wrap(file), (name, offset, length) ->
                name.equals("W") ? new OnnxGraphScanner.ExternalRef("model.onnx", offset, length) : null);
        var rescan = OnnxGraphScanner.scan(java.nio.ByteBuffer.wrap(graph));
        assertThat(rescan.external()).singleElement().satisfies(t -> {
            assertThat(t.location()).isEqualTo("model.onnx");
            assertThat(t.offset()).isEqualTo(w.offset());
            assertThat(t.length()).isEqualTo(w.length());
        });
        assertThat(rescan.inline()).extracting(OnnxGraphScanner.InlineTensor::name).containsExactly("B");
    }

    @Test
    void aCorruptModelIsModelInvalidAndLeavesNoFiles() throws Exception {
        Files.createDirectories(dir.resolve("bad"));
        Files.write(dir.resolve("bad/model.onnx"), new byte[]{(byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3});
        Path root = dir.resolve("mapped");
        assertThatThrownBy(() -> new SessionFactory(RUNTIME, root).open(new DirectoryModelSource("bad", dir.resolve("bad")), "model.onnx"))
                .satisfies(coded(e -> assertThat(e.code()).isEqualTo(ErrorCodes.MODEL_INVALID)));
        assertThat(leftUnder(root)).isZero();
    }

    @Test
    void externalDataOutsideTheModelIsRefusedAsBefore() throws Exception {
        MatMulModelWriter.write(dir.resolve("m"), 24, 10, 1);
        Files.delete(dir.resolve("m/model.onnx_data"));
        assertThatThrownBy(() -> new SessionFactory(RUNTIME, dir.resolve("mapped")).open(new DirectoryModelSource("m", dir.resolve("m")), "model.onnx"))
                .satisfies(coded(e -> {
                    assertThat(e.code()).isEqualTo(ErrorCodes.MODEL_INVALID);
                    assertThat(e.getMessage()).contains("model.onnx_data").contains("missing");
                }));
    }

    @Test
    void whenTheFilesCannotBeWrittenTheModelLoadsFromBuffers() throws Exception {
        MatMulModelWriter.write(dir.resolve("m"), 24, 10, 2);
        Path notADir = dir.resolve("plain-file");
        Files.writeString(notADir, "x"); // the root cannot be created under a file
        checkComputes(new SessionFactory(RUNTIME, notADir.resolve("mapped")), dir.resolve("m"), 24, 10);
    }

    @Test
    void sweepRemovesWhatDeadProcessesLeftAndKeepsTheLiving() throws Exception {
        Path root = dir.resolve("mapped");
        Path dead = Files.createDirectories(root.resolve(deadPid() + "-1-1"));
        Files.writeString(dead.resolve("model.onnx"), "left by a crash");
        Path mine = Files.createDirectories(root.resolve(ProcessHandle.current().pid() + "-1-1"));
        Path foreign = Files.createDirectories(root.resolve("not-ours"));
        MappedModelFiles.sweep(root);
        assertThat(dead).doesNotExist();
        assertThat(mine).exists();
        assertThat(foreign).exists();
    }

    /** A pid no process has: past the highest running one. */
    private static long deadPid() {
        long max = ProcessHandle.allProcesses().mapToLong(ProcessHandle::pid).max().orElse(1);
        return max + 100_000;
    }

    private static long leftUnder(Path root) throws Exception {
        if (!Files.exists(root)) return 0;
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    private static void checkComputes(SessionFactory factory, Path modelDir, int k, int n) throws Exception {
        float[][] x = new float[1][k];
        for (int i = 0; i < k; i++) x[0][i] = (i % 7) - 3;
        try (ModelSession s = factory.open(new DirectoryModelSource("m", modelDir), "model.onnx");
             OnnxTensor input = OnnxTensor.createTensor(RUNTIME.env(), x);
             OrtSession.Result r = s.session().run(Map.of("X", input))) {
            float[][] y = (float[][]) r.get(0).getValue();
            for (int c = 0; c < n; c++) {
                float want = MatMulModelWriter.bias(c);
                for (int i = 0; i < k; i++) want += x[0][i] * MatMulModelWriter.weight(i, c);
                assertThat(y[0][c]).as("y[%d]", c).isCloseTo(want, Offset.offset(1e-3f));
            }
        }
    }
}
