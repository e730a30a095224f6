package io.llmcp.inference;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.app.HostContext;
import io.llmcp.protocol.RpcException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.function.Function;

/**
 * The host's inference state, started on the first request that needs it: the ORT runtime, the session
 * factory, the session cache, and how a model id becomes a {@link ModelSource} (built-in models first, then
 * {@link #setModelSources}, which the store wiring replaces; until then other ids are "not downloaded").
 *
 * <p>Config section {@code inference}: {@code provider} auto|cpu|cuda, {@code intraOpThreads},
 * {@code interOpThreads}, {@code cudaDevice}, {@code memoryBudgetBytes} (default half the RAM),
 * {@code keepAliveSeconds} (default 300; negative = forever), {@code embedBatchSize} (32),
 * {@code maxEmbedTexts} (1024).
 */
public final class InferenceService implements AutoCloseable {
    private final OrtRuntime runtime;
    private final SessionFactory factory;
    private final SessionCache cache;
    private final int embedBatchSize;
    private final int maxEmbedTexts;
    private volatile ModelSource builtInMinilm;
    private volatile Function<String, ModelSource> modelSources = id -> {
        throw RpcException.notFound("model " + id + " is not downloaded (llmcp pull " + id + ")");
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

    /** The one instance for this host process. */
    public static InferenceService of(HostContext ctx) {
        return ctx.service(InferenceService.class, c -> {
            InferenceService service = new InferenceService(c.config().section("inference"));
            // Every model that is not built in comes out of the store.
            service.setModelSources(id -> io.llmcp.models.StoreModelSource.open(io.llmcp.models.ModelRegistry.of(c), id));
            return service;
        });
    }

    private static long defaultBudget() {
        try {
            var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
            return os.getTotalMemorySize() / 2;
        } catch (RuntimeException | LinkageError e) {
            return 8L << 30;
        }
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
        return cache.acquire(modelId, type, source.totalBytes(), keepAlive, () -> loader.apply(source));
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
