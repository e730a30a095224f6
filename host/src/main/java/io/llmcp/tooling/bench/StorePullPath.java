package io.llmcp.tooling.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.fetch.DownloadRequest;
import io.llmcp.fetch.Downloader;
import io.llmcp.fetch.FetchSettings;
import io.llmcp.models.StoreDownloadTarget;
import io.llmcp.protocol.CancellationToken;
import io.llmcp.protocol.Json;
import io.llmcp.store.BlobStore;
import io.llmcp.store.CompactResult;
import io.llmcp.store.PartialBlob;
import io.llmcp.store.StoreOptions;
import io.llmcp.store.StoreStats;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * The store's file size along the path a pull takes, which a plain {@code PartialBlob} ingest does not: small files
 * first (config.json, tokenizer.json), then the model file from a loopback HTTP server as ranged parts in parallel,
 * cancelled half-way and resumed, then a second model; then the first is removed and the file compacted.
 * Reports the store file's size against the distinct chunk bytes it holds after each step.
 */
public final class StorePullPath {
    private final Path dir;
    private final long size;
    private final StoreOptions options;
    private final Consumer<String> log;

    public StorePullPath(Path dir, long size, StoreOptions options, Consumer<String> log) {
        this.dir = dir;
        this.size = size;
        this.options = options;
        this.log = log;
    }

    public ObjectNode run() throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("pull-store.mv");
        Files.deleteIfExists(file);
        ObjectNode out = Json.object().put("sizeBytes", size).put("secondSizeBytes", size / 2).put("parallelParts", 4)
                .put("partBytes", 4 << 20);
        FetchSettings parts = FetchSettings.defaults().withParallel(4, 0, 4 << 20).withParallelOnLoopback(true);
        try (GeneratedFileServer first = new GeneratedFileServer(size, 0, 1);
             GeneratedFileServer second = new GeneratedFileServer(size / 2, 0, 2);
             Downloader d = new Downloader(parts);
             BlobStore store = BlobStore.open(file, options)) {
            store.put(new ByteArrayInputStream("{\"model_type\":\"llama\"}".getBytes(StandardCharsets.UTF_8)), "config.json");
            store.put(new ByteArrayInputStream(new byte[300_000]), "tokenizer.json");
            long t0 = System.nanoTime();
            String a = download(d, store, first.url(), size, "a/onnx/model.onnx", true);
            out.put("pullSeconds", round((System.nanoTime() - t0) / 1e9));
            record(out, "afterPull", store.stats());
            download(d, store, second.url(), size / 2, "b/onnx/model.onnx", false);
            record(out, "afterSecondPull", store.stats());
            store.deleteBlob(a);
            CompactResult c = store.compact();
            out.put("compactMillis", c.millis());
            record(out, "afterRmCompact", store.stats());
        } finally {
            Files.deleteIfExists(file);
        }
        return out;
    }

    /** Ranged parts in parallel; with {@code interrupt}, cancelled once half is in and resumed in a new session. */
    private String download(Downloader d, BlobStore store, String url, long bytes, String key, boolean interrupt) throws IOException {
        DownloadRequest req = new DownloadRequest("onnx/model.onnx", url, null, bytes);
        if (interrupt) {
            CancellationToken token = CancellationToken.none();
            try (PartialBlob p = store.openPartial(key)) {
                d.download(req, new StoreDownloadTarget(p), e -> {
                    if (e.bytesDone() >= bytes / 2) token.cancel();
                }, token);
            } catch (io.llmcp.failure.DomainException e) {
                if (!token.isCancelled()) throw e;
            }
            log.accept(String.format(Locale.ROOT, "cancelled at half, resuming from the committed prefix"));
        }
        try (PartialBlob p = store.openPartial(key)) {
            return d.download(req, new StoreDownloadTarget(p), null, CancellationToken.none()).sha256();
        }
    }

    private void record(ObjectNode out, String step, StoreStats s) {
        double ratio = (double) s.fileBytes() / s.storedBytes();
        out.putObject(step).put("fileBytes", s.fileBytes()).put("storedBytes", s.storedBytes()).put("ratio", round(ratio));
        log.accept(String.format(Locale.ROOT, "%-16s store.mv %,d bytes, stored %,d bytes: %.4fx", step, s.fileBytes(),
                s.storedBytes(), ratio));
    }

    private static double round(double v) {
        return Math.round(v * 10000) / 10000.0;
    }
}
