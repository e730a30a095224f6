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
