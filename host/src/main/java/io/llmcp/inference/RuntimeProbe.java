package io.llmcp.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.Json;

/** Reports the ONNX Runtime version and execution providers without failing when the native lib cannot load. */
public final class RuntimeProbe {
    private RuntimeProbe() {
    }

    /**
     * {@link #describe()} plus what new sessions will run on ({@code preferredProvider}, from the
     * {@code inference} config) and, once inference has started, the provider the last session got and why
     * CUDA was not used if it fell back ({@code fallbackReason}). Never starts inference itself.
     */
    public static ObjectNode describe(InferenceService running, ObjectNode inferenceConfig) {
        ObjectNode out = describe();
        if (!out.path("loaded").asBoolean()) return out;
        if (running != null) {
            out.setAll(running.runtime().describe());
        } else {
            OrtRuntime.Settings settings = OrtRuntime.Settings.from(inferenceConfig);
            out.put("preferredProvider", OrtRuntime.preferredProvider(settings));
            out.put("providerSetting", settings.provider());
        }
        return out;
    }

    public static ObjectNode describe() {
        ObjectNode out = Json.object();
        try {
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            out.put("version", env.getVersion());
            ArrayNode providers = out.putArray("providers");
            for (OrtProvider p : OrtEnvironment.getAvailableProviders()) providers.add(providerName(p));
            out.put("loaded", true);
        } catch (Throwable t) {
            out.put("loaded", false);
            out.put("error", "ONNX Runtime did not load: " + t);
            out.putArray("providers");
        }
        return out;
    }

    static String providerName(OrtProvider p) {
        switch (p) {
            case CPU: return "CPU";
            case CUDA: return "CUDA";
            default: return p.name();
        }
    }
}
