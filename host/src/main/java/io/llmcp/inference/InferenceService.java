package io.llmcp.inference;

import io.llmcp.failure.Failure;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The host's inference state, started on the first request that needs it: the ORT runtime, the session
 * factory, the session cache, and how a model id becomes a {@link ModelSource} (built-in models first, then
 * {@link #setModelSources}, which the composition root points at the store; until then other ids are "not
 * downloaded"). It knows nothing of the store: the root also tells it what to do when a model loads
 * ({@link #setOnLoad}: the registry records the use), so inference and models never import each other.
 *
 * <p>Config section {@code inference}: {@code provider} auto|cpu|cuda, {@code intraOpThreads},
 * {@code interOpThreads}, {@code cudaDevice}, {@code memoryBudgetBytes} (default half the RAM),
 * {@code keepAliveSeconds} (default 300; negative = forever), {@code embedBatchSize} (32),
 * {@code maxEmbedTexts} (1024). {@code loadVia} is read by the composition root ({@link #mapModelsUnder}).
 */
public final class InferenceService implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(InferenceService.class);
    private final OrtRuntime runtime;
    private volatile SessionFactory factory;
    private final SessionCache cache;
    private final int embedBatchSize;
    private final int maxEmbedTexts;
    private volatile ModelSource builtInMinilm;
    private volatile Consumer<ModelSource> onLoad = source -> { };
    private volatile Function<String, ModelSource> modelSources = id -> {
        throw new InferenceException(Failure.NOT_FOUND, "model " + id + " is not downloaded (llmcp pull " + id + ")");
    };

    public InferenceService(ObjectNode config) {
        this(config, new OrtRuntime(OrtRuntime.Settings.from(config)));
    }

    public InferenceService(ObjectNode config, OrtRuntime runtime) {
        this.runtime = runtime;
        this.factory = new SessionFactory(runtime);
        long budget = config.path("memoryBudgetBytes").asLong(defaultBudget());
        Duration keepAlive = Duration.ofSeconds(config.path("keepAliveSeconds").asLong(SessionCache.DEFAULT_KEEP_ALIVE.toSeconds()));
        this.cache = new SessionCache(budget, keepAlive, Duration.ofSeconds(1));
        this.embedBatchSize = Math.max(1, config.path("embedBatchSize").asInt(32));
        this.maxEmbedTexts = Math.max(1, config.path("maxEmbedTexts").asInt(1024));
    }

    private static long defaultBudget() {
        try {
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            return os.getTotalMemorySize() / 2;
        } catch (RuntimeException | LinkageError e) {
            return 8L << 30;
        }
    }

    /**
     * From now on models are written under {@code root} for ORT to memory-map ({@code loadVia: files}, which the
     * composition root sets up before the first load): about one copy of the weights in memory instead of two.
     */
    public void mapModelsUnder(Path root) {
        this.factory = new SessionFactory(runtime, root);
    }

    public OrtRuntime runtime() {
        return runtime;
    }

    public SessionFactory factory() {
        return factory;
    }

    public SessionCache cache() {
        return cache;
    }

    public int embedBatchSize() {
        return embedBatchSize;
    }

    public int maxEmbedTexts() {
        return maxEmbedTexts;
    }

    /** How non-built-in model ids are found (the store); the function throws NOT_FOUND for unknown ids. */
    public void setModelSources(Function<String, ModelSource> sources) {
        this.modelSources = sources;
    }

    /**
     * Called with the model's source each time a session is loaded (not when a request reuses one): where the
     * model's last use and load count are recorded. Loads are rare and slow anyway; a write per request would
     * put a store commit in front of every warm generation.
     */
    public void setOnLoad(Consumer<ModelSource> onLoad) {
        this.onLoad = onLoad == null ? source -> { } : onLoad;
    }

    /** The files of {@code modelId}: a built-in model, else whatever {@link #setModelSources} resolves. */
    public ModelSource source(String modelId) {
        if (ClasspathModelSource.MINILM_ID.equals(modelId)) {
            try {
                ModelSource m = builtInMinilm;
                if (m == null) builtInMinilm = m = ClasspathModelSource.minilm();
                return m;
            } catch (IOException e) {
                throw new UncheckedIOException("the built-in model " + modelId + " is missing from this build", e);
            }
        }
        return modelSources.apply(modelId);
    }

    /** Leases {@code modelId} as an embedder, loading it if needed. */
    public SessionCache.Lease<Embedder> embedder(String modelId, Duration keepAlive) {
        return lease(modelId, Embedder.class, keepAlive, source -> Embedder.load(factory, source));
    }

    /**
     * Leases {@code modelId} as whatever {@code loader} builds from its files (an embedder, a generator's
     * session + tokenizer…), loading it once and keeping it per the keep-alive rules. Close the lease when
     * the request ends.
     */
    public <T extends SessionCache.Loaded> SessionCache.Lease<T> lease(String modelId, Class<T> type, Duration keepAlive,
                                                                       Function<ModelSource, T> loader) {
        ModelSource source = source(modelId);
        return cache.acquire(modelId, type, source.totalBytes(), keepAlive, () -> {
            T loaded = loader.apply(source);
            try {
                onLoad.accept(source);
            } catch (RuntimeException e) {
                // bookkeeping only: a model that loaded must not fail (nor leak) because its use went unrecorded
                log.warn("recording the load of {} failed: {}", modelId, e.toString());
            }
            return loaded;
        });
    }

    /** For the store's quota eviction: a model a request is using must keep its files. */
    public boolean inUse(String modelId) {
        return cache.inUse(modelId);
    }

    @Override
    public void close() {
        cache.close();
    }
}
