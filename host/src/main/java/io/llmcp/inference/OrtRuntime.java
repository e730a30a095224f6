package io.llmcp.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.Json;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's one ONNX Runtime environment and the policy for new sessions: which execution provider
 * (CPU by default; CUDA when this build has it and a device works, else CPU with the reason kept), how many
 * threads, and no spinning thread pools — ORT's default spin-wait keeps an idle core busy between runs.
 */
public final class OrtRuntime {
    private static final Logger log = LoggerFactory.getLogger(OrtRuntime.class);
    public static final String CPU = "CPU";
    public static final String CUDA = "CUDA";

    /**
     * {@code inference} config: {@code provider} auto|cpu|cuda, {@code intraOpThreads}, {@code interOpThreads} (0 = ORT
     * default), {@code cudaDevice}, {@code prepack} (default true). {@code cpuArena} (on; benchmarks turn it off) is
     * ORT's arena, which keeps the memory of the largest step it has run, e.g. the prompt's.
     */
    public record Settings(String provider, int intraOpThreads, int interOpThreads, int cudaDevice, boolean prepack,
                           boolean spinning, boolean cpuArena) {
        public Settings(String provider, int intraOpThreads, int interOpThreads, int cudaDevice) {
            this(provider, intraOpThreads, interOpThreads, cudaDevice, true, false, true);
        }

        public static Settings defaults() {
            return new Settings("auto", 0, 1, 0, true, false, true);
        }

        public Settings withPrepack(boolean on) {
            return new Settings(provider, intraOpThreads, interOpThreads, cudaDevice, on, spinning, cpuArena);
        }

        /** ORT's default spin-waiting thread pools: only for the benchmarks' baselines. */
        public Settings withSpinning(boolean on) {
            return new Settings(provider, intraOpThreads, interOpThreads, cudaDevice, prepack, on, cpuArena);
        }

        public Settings withCpuArena(boolean on) {
            return new Settings(provider, intraOpThreads, interOpThreads, cudaDevice, prepack, spinning, on);
        }

        public static Settings from(ObjectNode section) {
            Settings d = defaults();
            String p = section.path("provider").asText(d.provider).toLowerCase(Locale.ROOT);
            if (!p.equals("auto") && !p.equals("cpu") && !p.equals("cuda")) {
                log.warn("inference.provider '{}' is not auto, cpu or cuda; using auto", p);
                p = "auto";
            }
            return new Settings(p,
                    Math.max(0, section.path("intraOpThreads").asInt(d.intraOpThreads)),
                    Math.max(0, section.path("interOpThreads").asInt(d.interOpThreads)),
                    Math.max(0, section.path("cudaDevice").asInt(d.cudaDevice)),
                    section.path("prepack").asBoolean(d.prepack), false, d.cpuArena);
        }
    }

    /** Creates a session from prepared options; the factory supplies the model bytes and initializers. */
    @FunctionalInterface
    public interface SessionCreator {
        OrtSession create(OrtSession.SessionOptions options) throws OrtException;
    }

    /** A created session and the provider it actually runs on; {@code fallbackReason} is null unless CUDA was wanted and failed. */
    public record Opened(OrtSession session, String provider, String fallbackReason) {
    }

    private final OrtEnvironment env;
    private final Settings settings;
    private final ProviderAttempt attempt;
    private final java.util.Map<String, String> extraConfig;
    private volatile String lastFallbackReason;
    private volatile String lastProvider;

    public OrtRuntime(Settings settings) {
        this(settings, ProviderAttempt.ort(settings.cudaDevice()));
    }

    public OrtRuntime(Settings settings, ProviderAttempt attempt) {
        this(settings, attempt, java.util.Map.of());
    }

    /** {@code extraConfig}: further session config entries, set last (benchmarks compare ORT options with it). */
    public OrtRuntime(Settings settings, java.util.Map<String, String> extraConfig) {
        this(settings, ProviderAttempt.ort(settings.cudaDevice()), extraConfig);
    }

    OrtRuntime(Settings settings, ProviderAttempt attempt, java.util.Map<String, String> extraConfig) {
        this.env = OrtEnvironment.getEnvironment();
        this.settings = settings;
        this.attempt = attempt;
        this.extraConfig = java.util.Map.copyOf(extraConfig);
    }

    public OrtEnvironment env() {
        return env;
    }

    public Settings settings() {
        return settings;
    }

    /** CUDA when asked for, or on auto when this ORT build offers it; otherwise CPU. */
    public String preferredProvider() {
        return preferredProvider(settings);
    }

    static String preferredProvider(Settings settings) {
        switch (settings.provider()) {
            case "cpu": return CPU;
            case "cuda": return CUDA;
            default:
                try {
                    return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA) ? CUDA : CPU;
                } catch (Throwable t) {
                    return CPU;
                }
        }
    }

    /**
     * Opens a session on the preferred provider; when that is CUDA and it fails (no CUDA in this build, no
     * device, wrong CUDA/cuDNN), retries on CPU — ORT does not fall back by itself — and keeps the reason.
     * A CPU failure is the model's own problem and propagates.
     */
    public Opened open(String what, SessionCreator creator) throws OrtException {
        String preferred = preferredProvider();
        String reason = null;
        if (CUDA.equals(preferred)) {
            try (OrtSession.SessionOptions options = options(CUDA)) {
                OrtSession s = creator.create(options);
                return remember(new Opened(s, CUDA, null));
            } catch (OrtException | RuntimeException | UnsatisfiedLinkError e) {
                reason = "CUDA unavailable: " + e.getMessage();
                log.warn("{}: {}; falling back to CPU", what, reason);
            }
        }
        try (OrtSession.SessionOptions options = options(CPU)) {
            OrtSession s = creator.create(options);
            return remember(new Opened(s, CPU, reason));
        }
    }

    private Opened remember(Opened o) {
        lastProvider = o.provider();
        lastFallbackReason = o.fallbackReason();
        return o;
    }

    /** Session options for {@code provider}: threads as configured, spinning off, full graph optimization. */
    public OrtSession.SessionOptions options(String provider) throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        try {
            if (settings.intraOpThreads() > 0) o.setIntraOpNumThreads(settings.intraOpThreads());
            if (settings.interOpThreads() > 0) o.setInterOpNumThreads(settings.interOpThreads());
            if (!settings.spinning()) {
                o.addConfigEntry("session.intra_op.allow_spinning", "0");
                o.addConfigEntry("session.inter_op.allow_spinning", "0");
            }
            // Prepacking makes a second, kernel-friendly copy of MatMul weights; with weights we hand over as
            // external initializers our copy must stay too, so it costs up to 1x the model (see BENCHMARKS.md).
            if (!settings.prepack()) o.addConfigEntry("session.disable_prepacking", "1");
            if (!settings.cpuArena()) o.setCPUArenaAllocator(false);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            for (java.util.Map.Entry<String, String> e : extraConfig.entrySet()) o.addConfigEntry(e.getKey(), e.getValue());
            attempt.add(o, provider);
            return o;
        } catch (OrtException | RuntimeException e) {
            o.close();
            throw e;
        }
    }

    /** For host.info: what new sessions will use and what the last one did. */
    public ObjectNode describe() {
        ObjectNode out = Json.object();
        out.put("preferredProvider", preferredProvider());
        out.put("providerSetting", settings.provider());
        if (lastProvider != null) out.put("lastProvider", lastProvider);
        if (lastFallbackReason != null) out.put("fallbackReason", lastFallbackReason);
        out.put("intraOpThreads", settings.intraOpThreads());
        out.put("interOpThreads", settings.interOpThreads());
        return out;
    }
}
