package io.llmcp.tooling.bench;

import io.llmcp.models.ModelFile;
import io.llmcp.models.ModelRecord;
import io.llmcp.models.ModelRegistry;
import io.llmcp.models.StoreModelSource;
import io.llmcp.protocol.Json;
import io.llmcp.store.BlobInfo;
import io.llmcp.store.BlobStore;
import io.llmcp.store.StoreOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/** For {@code bench load}: a model directory ingested into its own store, and opened again as a model source. */
final class BenchStores {
    static final String MODEL_ID = "bench";

    private BenchStores() {
    }

    /** Every file under {@code modelDir} (by its relative path) into a fresh store, as model {@value #MODEL_ID}. */
    static void ingest(Path modelDir, String onnxPath, Path storeDir) throws IOException {
        Files.createDirectories(storeDir);
        try (BlobStore store = BlobStore.open(storeDir.resolve("store.mv"), StoreOptions.defaults());
             Stream<Path> files = Files.walk(modelDir)) {
            Map<String, ModelFile> record = new LinkedHashMap<>();
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String name = modelDir.relativize(f).toString().replace('\\', '/');
                try (InputStream in = Files.newInputStream(f)) {
                    BlobInfo b = store.put(in, f.toUri().toString());
                    record.put(name, new ModelFile(b.sha256(), b.size(), f.toUri().toString(), null, b.fetchedAt()));
                }
            }
            ModelRegistry registry = new ModelRegistry(store);
            registry.putModel(ModelRecord.create(MODEL_ID, Json.object().put("modelId", MODEL_ID).put("modelFileName", onnxPath))
                    .withFiles(record).withComplete(true));
        }
    }

    static Opened open(Path storeDir) {
        BlobStore store = BlobStore.open(storeDir.resolve("store.mv"), StoreOptions.defaults());
        return new Opened(store, StoreModelSource.open(new ModelRegistry(store), MODEL_ID));
    }

    /** A store-backed model source that closes its store with it. */
    static final class Opened implements io.llmcp.inference.ModelSource, AutoCloseable {
        private final BlobStore store;
        private final StoreModelSource source;

        Opened(BlobStore store, StoreModelSource source) {
            this.store = store;
            this.source = source;
        }

        @Override
        public String onnxPath() {
            return source.onnxPath();
        }

        @Override
        public String modelId() {
            return source.modelId();
        }

        @Override
        public Map<String, Long> files() {
            return source.files();
        }

        @Override
        public void fill(String path, long offset, java.nio.ByteBuffer target) throws IOException {
            source.fill(path, offset, target);
        }

        @Override
        public boolean readsThroughHeap() {
            return source.readsThroughHeap();
        }

        @Override
        public String readText(String path) throws IOException {
            return source.readText(path);
        }

        @Override
        public void close() {
            store.close();
        }
    }
}
