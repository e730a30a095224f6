package io.llmcp.host;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.api.ApiServer;
import io.llmcp.api.EngineApi;
import io.llmcp.api.Remotes;
import io.llmcp.api.RemotesMethods;
import io.llmcp.app.HostConfig;
import io.llmcp.app.MachineMemory;
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
import io.llmcp.methods.ModelChanges;
import io.llmcp.methods.ModelsMethods;
import io.llmcp.methods.SessionMethods;
import io.llmcp.methods.SessionsMethods;
import io.llmcp.methods.SitesMethods;
import io.llmcp.methods.SettingsMethods;
import io.llmcp.methods.StoreMethods;
import io.llmcp.models.ModelRegistry;
import io.llmcp.models.PullService;
import io.llmcp.models.StoreModelSource;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.Broadcaster;
import io.llmcp.protocol.MethodRegistry;
import io.llmcp.protocol.NotificationSink;
import io.llmcp.protocol.RpcInterceptor;
import io.llmcp.sites.SiteGrants;
import io.llmcp.store.BlobStore;
import io.llmcp.store.DataStore;
import io.llmcp.store.Stores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The composition root: the one place that builds the host's services (store → model registry →
 * downloader → pulls → inference → jobs; site grants over the store's data space), wires the callbacks between
 * them, and registers the methods.
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
    private final Services.Lazy<SiteGrants> sites;
    /** Every connected client, for notifications that belong to no request; none until a server says who they are. */
    private volatile NotificationSink clients = (method, params) -> { };
    /** The engine's broadcaster, started with its method table and closed with the services. */
    private volatile Broadcaster broadcaster;

    public Host(Path dataDir, HostConfig config, List<MethodModule> modules) {
        this.dataDir = dataDir;
        this.config = config;
        this.modules = List.copyOf(modules);
        store = services.lazy(() -> Stores.open(dataDir, settings(config, "store"), config.file()));
        models = services.lazy(() -> {
            ModelRegistry r = new ModelRegistry(store.get());
            // Whoever changed a model, every client hears of it (another browser, a terminal's `llmcp rm`).
            r.setOnChange(ModelChanges.to((method, params) -> clients.notify(method, params)));
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
        // "Allow once" grants live in this object, so one per host: they end when the engine does.
        sites = services.lazy(() -> new SiteGrants(data));
    }

    /** The host of {@code dataDir} with its config.json and no extra methods. */
    public static Host open(Path dataDir) {
        return open(dataDir, List.of());
    }

    public static Host open(Path dataDir, List<MethodModule> modules) {
        return new Host(dataDir, HostConfig.load(dataDir), modules);
    }

    /**
     * A config.json section as plain values (numbers, booleans, strings, lists and maps in the file's order), the
     * form the domain takes its settings in: JSON trees stay on this side.
     */
    public static Map<String, Object> settings(HostConfig config, String section) {
        return Json.MAPPER.convertValue(config.section(section), new TypeReference<LinkedHashMap<String, Object>>() { });
    }

    public Path dataDir() {
        return dataDir;
    }

    public HostConfig config() {
        return config;
    }

    /**
     * Where notifications for every client go: the engine's connected clients, or the one stdio session of an
     * in-process host. Set by whoever serves the connections, before they are served.
     */
    public void notifyClientsVia(NotificationSink sink) {
        this.clients = sink == null ? (method, params) -> { } : sink;
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
        return methods(List.of());
    }

    /** The methods with {@code inner} links added to the chain, innermost (next to the handlers). */
    private MethodRegistry methods(List<RpcInterceptor> inner) {
        List<RpcInterceptor> chain = new ArrayList<>(Interceptors.chain());
        chain.addAll(inner);
        MethodRegistry methods = new MethodRegistry(chain);
        new HostMethods(dataDir, this::describeOnnxRuntime).register(methods);
        DataMethods.register(methods, data);
        new ModelsMethods(models, pulls, downloader, jobs, MachineMemory::availableBytes).register(methods);
        new StoreMethods(models).register(methods);
        new SettingsMethods(dataDir, config, System.getenv(), token -> {
            Downloader running = downloader.ifStarted(); // a downloader started later reads the config itself
            if (running != null) running.setToken(token);
        }).register(methods);
        JobsMethods.register(methods, jobs);
        EmbedMethods.register(methods, inference);
        SessionsMethods.register(methods, inference);
        GenerateMethods.register(methods, inference);
        new SitesMethods(sites, () -> config.section("pageApi")).register(methods);
        for (MethodModule m : modules) m.register(methods, this);
        return methods;
    }

    /** The host as an engine serves it, with the HTTP API if config.json's {@code api} section enables it. */
    public EngineServer.Services forEngine() {
        return forEngine(new EngineApi(null, null));
    }

    /**
     * The host as an engine serves it: every method plus the engine's own, which need the server. Only the
     * engine offers the remote providers (config {@code remotes}: {@code NAME/MODEL} in {@code models.list} and
     * {@code generate}), a link inside the chain so their calls are logged, mapped and cancelled like local
     * ones, and the {@code remotes.*} methods that manage them; and only the engine serves the HTTP API,
     * started by {@code api} over that same table.
     */
    public EngineServer.Services forEngine(EngineApi api) {
        return new EngineServer.Services() {
            @Override
            public MethodRegistry methodsFor(EngineServer engine) {
                Remotes remotes = new Remotes(dataDir);
                MethodRegistry methods = methods(List.of(remotes));
                new RemotesMethods(dataDir, remotes).register(methods);
                Broadcaster everyClient = new Broadcaster(engine::introducedClients);
                notifyClientsVia(everyClient);
                broadcaster = everyClient;
                SessionMethods.register(methods, engine, config::allowedOrigins);
                EngineMethods.register(methods, engine, jobs);
                return methods;
            }

            @Override
            public EngineServer.Listener listen(MethodRegistry methods) throws java.io.IOException {
                ApiServer server = api.start(config, methods);
                return server == null ? null : server::close;
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
        Broadcaster b = broadcaster;
        if (b != null) b.close();
    }
}
