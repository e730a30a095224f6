package io.llmcp.tooling.bench;

import io.llmcp.store.PartialBlob;
import io.llmcp.store.Hashes;
import io.llmcp.store.StoreOptions;
import io.llmcp.store.BlobStore;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * {@code llmcp bench store}: ingest and read-back of one incompressible blob through the store, next to a plain
 * FileChannel write/read of the same bytes with the same SHA-256 hashing, in the same run and repetition.
 *
 * <ul>
 * <li>plain write: per 1 MiB piece SHA-256 + {@code FileChannel.write}, then {@code force(true)};</li>
 * <li>store ingest: {@link PartialBlob#write} per piece + {@link PartialBlob#finish} (chunk and whole-file
 *     hashes, MVStore commits, final sync);</li>
 * <li>plain read: the file into one direct buffer, then SHA-256 over it (a verified load);</li>
 * <li>store read: {@link BlobStore#readInto} into one direct buffer, then the same SHA-256;</li>
 * <li>store verified read: {@link BlobStore#readIntoVerified}, the store's own load path, where the same SHA-256
 *     overlaps the copying (reported separately).</li>
 * </ul>
 * The source is a 64 MiB direct buffer of SyntheticData with each piece stamped with its index, so every chunk
 * is distinct and generating data costs neither side anything.
 */
public final class StoreBenchmark {
    private static final int PIECE = 1 << 20;
    private static final int SOURCE = 64 << 20;

    private final Path dir;
    private final long size;
    private final StoreOptions options;
    private final Consumer<String> log;
    private final AtomicLong peakHeapAfterGc = new AtomicLong();

    public StoreBenchmark(Path dir, long size, StoreOptions options, Consumer<String> log) {
        this.dir = dir;
        this.size = size;
        this.options = options;
        this.log = log;
    }

    public ObjectNode run(int reps) throws IOException {
        Files.createDirectories(dir);
        watchHeap();
        ByteBuffer source = ByteBuffer.allocateDirect(SOURCE);
        byte[] tmp = new byte[PIECE];
        for (int off = 0; off < SOURCE; off += PIECE) {
            SyntheticData.fill(1, off, tmp, 0, PIECE);
            source.put(tmp);
        }
        ByteBuffer target = allocateTarget();
        ObjectNode out = Json.object().put("sizeBytes", size).put("reps", reps).put("chunkSize", options.chunkSize())
                .put("commitBytes", options.commitBytes()).put("maxHeapMiB", Runtime.getRuntime().maxMemory() >> 20)
                .put("readTarget", target.capacity() >= size ? "one direct buffer" : "a reused direct window");
        ArrayNode runs = out.putArray("runs");
        List<double[]> ratios = new ArrayList<>();
        for (int r = 0; r < reps; r++) {
            ObjectNode run = runs.addObject();
            Path plain = dir.resolve("plain.bin");
            Path storeFile = dir.resolve("bench-store.mv");
            Files.deleteIfExists(plain);
            deleteStore(storeFile);

            double plainWrite = mbps(timed(() -> plainWrite(plain, source)));
            double plainWriteCpu = cpuSecPerGiB();
            peakHeapAfterGc.set(0);
            String[] sha = new String[1];
            long storeFileBytes;
            double storeWrite;
            double storeRead;
            double storeWriteCpu;
            double storeReadCpu;
            double storeVerified = 0;
            try (BlobStore store = BlobStore.open(storeFile, options)) {
                storeWrite = mbps(timed(() -> sha[0] = storeIngest(store, source)));
                storeWriteCpu = cpuSecPerGiB();
                storeFileBytes = store.stats().fileBytes();
                String[] back = new String[1];
                storeRead = mbps(timed(() -> back[0] = storeRead(store, sha[0], target)));
                storeReadCpu = cpuSecPerGiB();
                if (target.capacity() >= size) {
                    storeVerified = mbps(timed(() -> {
                        target.clear();
                        store.readIntoVerified(sha[0], target);
                    }));
                }
                if (!back[0].equals(sha[0])) throw new IllegalStateException("store read-back hash differs");
            }
            long heap = peakHeapAfterGc.get() >> 20;
            String[] plainSha = new String[1];
            double plainRead = mbps(timed(() -> plainSha[0] = plainRead(plain, target)));
            double plainReadCpu = cpuSecPerGiB();
            if (!plainSha[0].equals(sha[0])) throw new IllegalStateException("plain and store hashes differ");
            run.put("plainWriteMBps", round(plainWrite)).put("storeIngestMBps", round(storeWrite))
                    .put("ingestRatio", round(storeWrite / plainWrite))
                    .put("plainReadMBps", round(plainRead)).put("storeReadMBps", round(storeRead))
                    .put("readRatio", round(storeRead / plainRead))
                    .put("storeVerifiedReadMBps", round(storeVerified)).put("verifiedReadRatio", round(storeVerified / plainRead))
                    .put("fileOverheadPercent", round(100.0 * (storeFileBytes - size) / size))
                    .put("peakHeapAfterGcMiB", heap).put("sha256", sha[0])
                    .put("cpuSecondsPerGiB_plainWrite", round(plainWriteCpu)).put("cpuSecondsPerGiB_storeIngest", round(storeWriteCpu))
                    .put("cpuSecondsPerGiB_plainRead", round(plainReadCpu)).put("cpuSecondsPerGiB_storeRead", round(storeReadCpu));
            ratios.add(new double[] {storeWrite / plainWrite, storeRead / plainRead, storeVerified / plainRead});
            log.accept(String.format("rep %d: plain write %.0f MB/s, store ingest %.0f MB/s (%.2fx); plain read %.0f MB/s, "
                            + "store read %.0f MB/s (%.2fx); file +%.2f%%; heap after GC peak %d MiB; "
                            + "CPU s/GiB write %.2f vs %.2f, read %.2f vs %.2f; readIntoVerified %.0f MB/s (%.2fx)",
                    r + 1, plainWrite, storeWrite, storeWrite / plainWrite, plainRead, storeRead, storeRead / plainRead,
                    100.0 * (storeFileBytes - size) / size, heap, plainWriteCpu, storeWriteCpu, plainReadCpu, storeReadCpu,
                    storeVerified, storeVerified / plainRead));
            Files.deleteIfExists(plain);
            deleteStore(storeFile);
        }
        out.put("medianIngestRatio", round(median(ratios, 0))).put("medianReadRatio", round(median(ratios, 1)))
                .put("medianVerifiedReadRatio", round(median(ratios, 2)));
        return out;
    }

    private ByteBuffer allocateTarget() {
        try {
            return ByteBuffer.allocateDirect((int) Math.min(size, Integer.MAX_VALUE - 8));
        } catch (OutOfMemoryError e) {
            log.accept("direct memory too small for one " + (size >> 20) + " MiB buffer (use -XX:MaxDirectMemorySize=2g); "
                    + "reading through a 64 MiB window instead");
            return ByteBuffer.allocateDirect(SOURCE);
        }
    }

    private ByteBuffer piece(ByteBuffer source, long pos) {
        int off = (int) (pos % SOURCE);
        int n = (int) Math.min(PIECE, size - pos);
        ByteBuffer p = source.duplicate().position(off).limit(off + n).slice();
        if (n >= 8) p.putLong(0, pos / PIECE); // every piece (and so every chunk) distinct
        return p;
    }

    private void plainWrite(Path file, ByteBuffer source) throws IOException {
        MessageDigest md = Hashes.sha256();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long pos = 0; pos < size; pos += PIECE) {
                ByteBuffer p = piece(source, pos);
                md.update(p.duplicate());
                while (p.hasRemaining()) ch.write(p);
            }
            ch.force(true);
        }
        md.digest();
    }

    private String storeIngest(BlobStore store, ByteBuffer source) {
        try (PartialBlob p = store.openPartial("bench/blob")) {
            for (long pos = 0; pos < size; pos += PIECE) p.write(piece(source, pos));
            return p.finish(null, size).sha256();
        }
    }

    private String plainRead(Path file, ByteBuffer target) throws IOException {
        MessageDigest md = Hashes.sha256();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long pos = 0;
            while (pos < size) {
                target.clear().limit((int) Math.min(target.capacity(), size - pos));
                while (target.hasRemaining()) {
                    int n = ch.read(target, pos + target.position());
                    if (n < 0) throw new IOException("short file");
                }
                pos += target.flip().remaining();
                md.update(target);
            }
        }
        return Hashes.hex(md.digest());
    }

    private String storeRead(BlobStore store, String sha, ByteBuffer target) {
        MessageDigest md = Hashes.sha256();
        if (target.capacity() >= size) {
            target.clear();
            store.readInto(sha, target);
            md.update(target.flip());
        } else {
            for (long pos = 0; pos < size; ) {
                target.clear().limit((int) Math.min(target.capacity(), size - pos));
                store.readRange(sha, pos, target);
                pos += target.flip().remaining();
                md.update(target);
            }
        }
        return Hashes.hex(md.digest());
    }

    /**
     * MVStore compression on model weights (the bundled MiniLM ONNX file) and on tokenizer JSON: file bytes and
     * ingest time with and without {@code compress()}.
     */
    public ObjectNode compression() throws IOException {
        ObjectNode out = Json.object();
        for (String resource : new String[] {"all-minilm-l6-v2.onnx", "all-minilm-l6-v2-tokenizer.json"}) {
            byte[] data;
            try (InputStream in = StoreBenchmark.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) continue;
                data = in.readAllBytes();
            }
            ObjectNode r = out.putObject(resource).put("bytes", data.length);
            for (boolean compress : new boolean[] {false, true}) {
                Path f = dir.resolve("compress-" + compress + ".mv");
                deleteStore(f);
                long t0 = System.nanoTime();
                long fileBytes;
                try (BlobStore s = BlobStore.open(f, options.withCompress(compress))) {
                    s.put(new java.io.ByteArrayInputStream(data), null);
                    fileBytes = s.stats().fileBytes();
                }
                double ms = (System.nanoTime() - t0) / 1e6;
                r.putObject(compress ? "compressed" : "plain").put("fileBytes", fileBytes).put("millis", round(ms))
                        .put("ratio", round((double) fileBytes / data.length));
                deleteStore(f);
            }
            log.accept(resource + ": " + r);
        }
        return out;
    }

    private static void deleteStore(Path f) throws IOException {
        Files.deleteIfExists(f);
        Files.deleteIfExists(f.resolveSibling(f.getFileName() + ".pid"));
    }

    private interface Work {
        void run() throws IOException;
    }

    /** Wall time of {@code w}; its process CPU time goes to {@link #lastCpuNanos} (robust when the machine is busy). */
    private long timed(Work w) throws IOException {
        long c0 = cpuNanos();
        long t0 = System.nanoTime();
        w.run();
        long wall = System.nanoTime() - t0;
        lastCpuNanos = cpuNanos() - c0;
        return wall;
    }

    private long lastCpuNanos;

    private static long cpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    private double cpuSecPerGiB() {
        return lastCpuNanos / 1e9 / (size / (double) (1L << 30));
    }

    private double mbps(long nanos) {
        return size / 1e6 / (nanos / 1e9);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static double median(List<double[]> rows, int col) {
        double[] v = rows.stream().mapToDouble(a -> a[col]).sorted().toArray();
        return v.length == 0 ? 0 : v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    /** Largest heap in use right after any GC: live data plus floating garbage, the number the note reports. */
    private void watchHeap() {
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (!(gc instanceof NotificationEmitter emitter)) continue;
            emitter.addNotificationListener((n, hb) -> {
                if (!"com.sun.management.gc.notification".equals(n.getType())) return;
                CompositeData cd = (CompositeData) n.getUserData();
                CompositeData info = (CompositeData) cd.get("gcInfo");
                @SuppressWarnings("unchecked")
                var after = (javax.management.openmbean.TabularData) info.get("memoryUsageAfterGc");
                long used = 0;
                for (Object row : after.values()) {
                    CompositeData e = (CompositeData) row;
                    String pool = (String) e.get("key");
                    if (pool.contains("Eden") || pool.contains("Survivor") || pool.contains("Old") || pool.contains("Tenured")) {
                        used += MemoryUsage.from((CompositeData) e.get("value")).getUsed();
                    }
                }
                peakHeapAfterGc.accumulateAndGet(used, Math::max);
            }, null, null);
        }
    }
}
