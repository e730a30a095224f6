package io.llmcp.host;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.app.HostConfig;
import io.llmcp.engine.EngineServer;
import io.llmcp.fetch.Downloader;
import io.llmcp.inference.InferenceService;
import io.llmcp.inference.RuntimeProbe;
import io.llmcp.methods.DataMethods;
import io.llmcp.methods.EmbedMethods;
import io.llmcp.methods.EngineMethods;
import io.llmcp.methods.GenerateMethods;
import io.llmcp.methods.HostMethods;
import io.llmcp.methods.Interceptors;
import io.llmcp.methods.Jobs;
import io.llmcp.methods.JobsMethods;
import io.llmcp.methods.ModelsMethods;
import io.llmcp.methods.SessionMethods;
import io.llmcp.methods.SessionsMethods;
import io.llmcp.methods.StoreMethods;
import io.llmcp.models.ModelRegistry;
import io.llmcp.models.PullService;
import io.llmcp.models.StoreModelSource;
import io.llmcp.protocol.MethodRegistry;
import io.llmcp.store.BlobStore;
import io.llmcp.store.DataStore;
import io.llmcp.store.Stores;
import java.nio.file.Path;
import java.util.List;

/**
 * The composition root: the one place that builds the host's services (store → model registry →
 * downloader → pulls → inference → jobs), wires the callbacks between them, and registers the methods.
 * Nothing else creates a service or looks one up; a package gets what it needs through its constructor.
 *
 * <p>Services start on first use ({@code host.info} must answer even while another process holds the store,
 * so building the method table opens nothing) and close in reverse order of start with the host.
 */
public final class Host implements AutoCloseable {
    private final Path dataDir;
    private final HostConfig config;
    private final List<MethodModule> modules;
    private final Services services = new Services();

    private final Services.Lazy<BlobStore> store;
    private final Services.Lazy<ModelRegistry> models;
    private final Services.Lazy<Downloader> downloader;
    private final Services.Lazy<PullService> pulls;
    private final Services.Lazy<InferenceService> inference;
    private final Services.Lazy<Jobs> jobs;
    private final Services.Lazy<DataStore> data;

    public Host(Path dataDir, HostConfig config, List<MethodModule> modules) {
        this.dataDir = dataDir;
        this.config = config;
        this.modules = List.copyOf(modules);
        store = services.lazy(() -> Stores.open(dataDir, config));
        models = services.lazy(() -> {
            ModelRegistry r = new ModelRegistry(store.get());
            // Quota eviction must never take the files of a model a request is running; ask inference only if it started.
            r.setInUse(id -> {
                InferenceService running = inferenceIfStarted();
                return running != null && running.inUse(id);
            });
            return r;
        });
        downloader = services.lazy(() -> Downloader.fromConfig(config));
        pulls = services.lazy(() -> new PullService(models.get(), downloader.get()));
        inference = services.lazy(() -> {
            InferenceService s = new InferenceService(config.section("inference"));
            // inference.loadVia "files" (default): models are written under the data dir for ORT to memory-map, one
            // copy of the weights in memory instead of two; "buffers" hands them over from memory (ORT copies them).
            if (!"buffers".equals(config.section("inference").path("loadVia").asText("files"))) s.mapModelsUnder(dataDir.resolve("mapped"));
            // Every model that is not built in comes out of the store; a load (not a request) records its use.
            s.setModelSources(id -> StoreModelSource.open(models.get(), id));
            s.setOnLoad(source -> {
                if (source instanceof StoreModelSource) models.get().recordLoad(source.modelId());
            });
            return s;
        });
        jobs = services.lazy(Jobs::new);
        data = services.lazy(() -> new DataStore(store.get()));
    }

    /** The host of {@code dataDir} with its config.json and no extra methods. */
    public static Host open(Path dataDir) {
        return open(dataDir, List.of());
    }

    public static Host open(Path dataDir, List<MethodModule> modules) {
        return new Host(dataDir, HostConfig.load(dataDir), modules);
    }

    public Path dataDir() {
        return dataDir;
    }

    public HostConfig config() {
        return config;
    }

    /** The store (opened on the first call). */
    public BlobStore store() {
        return store.get();
    }

    public Jobs jobs() {
        return jobs.get();
    }

    public InferenceService inference() {
        return inference.get();
    }

    public ModelRegistry models() {
        return models.get();
    }

    /** Every method of the host (stdio and in-process CLI): each namespace's class, inside the interceptor chain. */
    public MethodRegistry methods() {
        MethodRegistry methods = new MethodRegistry(Interceptors.chain());
        new HostMethods(dataDir, this::describeOnnxRuntime).register(methods);
        DataMethods.register(methods, data);
        new ModelsMethods(models, pulls, downloader, jobs).register(methods);
        new StoreMethods(models).register(methods);
        JobsMethods.register(methods, jobs);
        EmbedMethods.register(methods, inference);
        SessionsMethods.register(methods, inference);
        GenerateMethods.register(methods, inference);
        for (MethodModule m : modules) m.register(methods, this);
        return methods;
    }

    /** The host as an engine serves it: every method plus the engine's own, which need the server. */
    public EngineServer.Services forEngine() {
        return new EngineServer.Services() {
            @Override
            public MethodRegistry methodsFor(EngineServer engine) {
                MethodRegistry methods = methods();
                SessionMethods.register(methods, engine, config::allowedOrigins);
                EngineMethods.register(methods, engine, jobs);
                return methods;
            }

            @Override
            public int activeJobs() {
                Jobs running = jobs.ifStarted();
                return running == null ? 0 : running.activeCount();
            }

            @Override
            public void close() {
                Host.this.close();
            }
        };
    }

    private InferenceService inferenceIfStarted() {
        return inference.ifStarted();
    }

    /** For {@code host.info}: never starts inference, only describes it if it runs. */
    private ObjectNode describeOnnxRuntime() {
        return RuntimeProbe.describe(inference.ifStarted(), config.section("inference"));
    }

    @Override
    public void close() {
        services.close();
    }
}
