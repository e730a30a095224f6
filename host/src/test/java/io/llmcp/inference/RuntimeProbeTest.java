package io.llmcp.inference;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OrtException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.Json;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** host.info's onnxruntime section: preferred provider before inference starts, the fallback reason after. */
class RuntimeProbeTest {
    @TempDir
    Path dir;

    @Test
    void reportsPreferredProviderAndTheFallbackReason() throws Exception {
        ObjectNode before = RuntimeProbe.describe(null, Json.object());
        assertThat(before.path("preferredProvider").asText()).isIn("CPU", "CUDA");
        assertThat(before.has("fallbackReason")).isFalse();

        ProviderAttempt noGpu = (options, provider) -> {
            if (OrtRuntime.CUDA.equals(provider)) throw new OrtException("forced: CUDA driver missing");
        };
        OrtRuntime runtime = new OrtRuntime(new OrtRuntime.Settings("cuda", 1, 1, 0), noGpu);
        try (InferenceService service = new InferenceService(Json.object(), runtime)) {
            MatMulModelWriter.write(dir.resolve("m"), 8, 4, 1);
            ModelSource src = new DirectoryModelSource("m", dir.resolve("m"));
            try (ModelSession s = service.factory().open(src, "model.onnx")) {
                assertThat(s.provider()).isEqualTo("CPU");
            }
            ObjectNode after = RuntimeProbe.describe(service, Json.object());
            assertThat(after.path("preferredProvider").asText()).isEqualTo("CUDA");
            assertThat(after.path("lastProvider").asText()).isEqualTo("CPU");
            assertThat(after.path("fallbackReason").asText()).contains("forced: CUDA driver missing");
        }
    }
}
