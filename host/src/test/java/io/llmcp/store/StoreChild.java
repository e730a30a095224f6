package io.llmcp.store;

import io.llmcp.tooling.bench.SyntheticData;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * A child JVM for the crash, lock and heap tests (started with the test classpath). Reports progress on stdout,
 * one line per event, so the parent can kill it at chosen points.
 *
 * <pre>
 * hold   FILE                                     open the store and wait to be killed
 * ingest FILE KEY SIZE SEED CHUNK COMMIT          resumable ingest of SyntheticData(SEED), finish with size check
 * heap   FILE SIZE                                ingest SIZE bytes with default options, stream them back, report
 * </pre>
 */
public final class StoreChild {
    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        Path file = Path.of(args[1]);
        switch (args[0]) {
            case "hold" -> {
                BlobStore store = BlobStore.open(file, StoreOptions.defaults());
                out.println("open " + ProcessHandle.current().pid());
                out.flush();
                Thread.sleep(600_000);
                store.close();
            }
            case "ingest" -> ingest(out, file, args[2], Long.parseLong(args[3]), Long.parseLong(args[4]),
                    Integer.parseInt(args[5]), Long.parseLong(args[6]));
            case "heap" -> heap(out, file, Long.parseLong(args[2]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    static void ingest(PrintStream out, Path file, String key, long size, long seed, int chunk, long commit) {
        try (BlobStore store = BlobStore.open(file, StoreOptions.defaults().withChunkSize(chunk).withCommitBytes(commit));
             PartialBlob p = store.openPartial(key)) {
            if (p.sourceUrl() == null) p.setSource("https://example.org/" + key, "\"seed-" + seed + "\"", size);
            out.println("started " + p.committedBytes());
            out.flush();
            byte[] buf = new byte[48 * 1024 + 7]; // deliberately not a divisor of the chunk size
            long pos = p.committedBytes();
            while (pos < size) {
                int n = (int) Math.min(buf.length, size - pos);
                SyntheticData.fill(seed, pos, buf, 0, n);
                p.write(ByteBuffer.wrap(buf, 0, n));
                pos += n;
                out.println("progress " + pos + " " + p.committedBytes());
                out.flush();
            }
            out.println("finishing");
            out.flush();
            BlobInfo info = p.finish(null, size);
            out.println("done " + info.sha256());
            out.flush();
        }
    }

    static void heap(PrintStream out, Path file, long size) throws Exception {
        long t0 = System.nanoTime();
        String sha;
        try (BlobStore store = BlobStore.open(file, StoreOptions.defaults())) {
            try (PartialBlob p = store.openPartial("big/model.onnx_data")) {
                byte[] buf = new byte[1 << 20];
                for (long pos = 0; pos < size; pos += buf.length) {
                    int n = (int) Math.min(buf.length, size - pos);
                    SyntheticData.fill(7, pos, buf, 0, n);
                    p.write(ByteBuffer.wrap(buf, 0, n));
                }
                sha = p.finish(null, size).sha256();
            }
            long t1 = System.nanoTime();
            MessageDigest md = Hashes.sha256();
            long read = 0;
            try (InputStream in = store.openBlob(sha)) {
                byte[] buf = new byte[1 << 20];
                for (int n; (n = in.read(buf)) > 0; read += n) md.update(buf, 0, n);
            }
            long t2 = System.nanoTime();
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) peak += pool.getPeakUsage().getUsed();
            }
            out.printf("ok %s %s %d %d %.1f %.1f%n", sha, Hashes.hex(md.digest()), read, peak >> 20,
                    size / 1e6 / ((t1 - t0) / 1e9), size / 1e6 / ((t2 - t1) / 1e9));
            out.flush();
        }
    }

    private StoreChild() {
    }
}
