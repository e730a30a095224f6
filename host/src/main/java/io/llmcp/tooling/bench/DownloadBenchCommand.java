package io.llmcp.tooling.bench;

import io.llmcp.fetch.DownloadRequest;
import io.llmcp.fetch.DownloadResult;
import io.llmcp.fetch.Downloader;
import io.llmcp.fetch.FetchSettings;
import io.llmcp.fetch.FileDownloadTarget;
import io.llmcp.models.StoreDownloadTarget;
import io.llmcp.store.BlobStore;
import io.llmcp.store.PartialBlob;
import io.llmcp.store.StoreOptions;
import io.llmcp.protocol.CancellationToken;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.concurrent.Callable;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code llmcp bench download}: the Downloader (one stream, then parallel parts) into a FileDownloadTarget, and one
 * stream into the model store (what {@code models.pull} does), next to a plain OkHttp-to-FileChannel download with
 * the same client and the same SHA-256 hashing, all from a loopback server inside this process, in the same run.
 */
@Command(name = "download", description = "Download throughput vs a plain OkHttp-to-file baseline (loopback server).")
public final class DownloadBenchCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--size", defaultValue = "1g", description = "File size (e.g. 256m, 1g). Default: ${DEFAULT-VALUE}.")
    String size;

    @Option(names = "--parallel", defaultValue = "4", description = "Parts in flight for the parallel run. Default: ${DEFAULT-VALUE}.")
    int parallel;

    @Option(names = "--part-mib", defaultValue = "4", description = "MiB per part. Default: ${DEFAULT-VALUE}.")
    int partMib;

    @Option(names = "--rounds", defaultValue = "3", description = "Rounds; each round runs every variant once. Default: ${DEFAULT-VALUE}.")
    int rounds;

    @Option(names = "--per-connection-mbps", defaultValue = "0",
            description = "Cap each server response at this many MB/s, like a CDN does (0 = no cap). Default: ${DEFAULT-VALUE}.")
    double perConnectionMbps;

    @Option(names = "--dir", description = "Where the downloaded files go (deleted after each run). Default: a temp dir.")
    Path dir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        long bytes = parseSize(size);
        Path work = dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("llmcp-bench-download");
        FetchSettings one = FetchSettings.defaults().withParallel(1, Long.MAX_VALUE, 4 << 20);
        FetchSettings many = one.withParallel(parallel, 0, partMib << 20).withParallelOnLoopback(true);
        out.printf(Locale.ROOT, "download bench: %s bytes from a loopback server%s, %d rounds, parallel %d x %d MiB parts, into %s%n",
                bytes, perConnectionMbps > 0 ? " capped at " + perConnectionMbps + " MB/s per connection" : "", rounds, parallel,
                partMib, work);
        int variants = 4;
        double[][] results = new double[variants][rounds];
        double[][] cpu = new double[variants][rounds];
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        String[] names = {"plain OkHttp -> FileChannel + SHA-256", "Downloader, one stream", "Downloader, " + parallel + " parts",
                "Downloader, one stream -> model store"};
        try (GeneratedFileServer server = new GeneratedFileServer(bytes, (long) (perConnectionMbps * 1e6));
             Downloader oneStream = new Downloader(one); Downloader parts = new Downloader(many);
             BlobStore store = BlobStore.open(work.resolve("bench-store.mv"), StoreOptions.defaults())) {
            String expectedSha = null;
            for (int round = 1; round <= rounds; round++) {
                for (int k = 0; k < variants; k++) {
                    int v = (k + round - 1) % variants; // rotate the order so no variant always runs first (cold) or last
                    Path file = work.resolve("bench-" + v + ".bin");
                    long start = System.nanoTime();
                    long cpuStart = os.getProcessCpuTime();
                    String sha = switch (v) {
                        case 0 -> plain(oneStream, server.url(), file);
                        case 1 -> viaDownloader(oneStream, server.url(), file, bytes);
                        case 2 -> viaDownloader(parts, server.url(), file, bytes);
                        default -> intoStore(oneStream, server.url(), store, bytes);
                    };
                    double seconds = (System.nanoTime() - start) / 1e9;
                    double cpuSeconds = (os.getProcessCpuTime() - cpuStart) / 1e9;
                    Files.deleteIfExists(file);
                    if (v == 3) store.deleteBlob(sha); // frees its chunks: the next round stores every byte again
                    if (expectedSha == null) expectedSha = sha;
                    if (!expectedSha.equals(sha)) throw new IllegalStateException(names[v] + " produced SHA-256 " + sha + ", expected " + expectedSha);
                    double mbs = bytes / seconds / 1e6;
                    results[v][round - 1] = mbs;
                    cpu[v][round - 1] = cpuSeconds;
                    out.printf(Locale.ROOT, "round %d  %-40s %8.1f MB/s  (%.2f s, %.2f s CPU incl. server)%n", round, names[v], mbs,
                            seconds, cpuSeconds);
                    out.flush();
                }
            }
            out.printf(Locale.ROOT, "median of %d rounds (SHA-256 %s identical in every run):%n", rounds, expectedSha);
            double base = median(results[0]);
            for (int v = 0; v < variants; v++) {
                double m = median(results[v]);
                out.printf(Locale.ROOT, "  %-40s %8.1f MB/s  ratio %.2fx  (best %.1f)  CPU %.2f s (%.2fx)%n", names[v], m, m / base,
                        java.util.Arrays.stream(results[v]).max().orElse(0), median(cpu[v]), median(cpu[v]) / median(cpu[0]));
            }
        } finally {
            Files.deleteIfExists(work.resolve("bench-store.mv"));
            if (dir == null) Files.deleteIfExists(work);
        }
        out.flush();
        return 0;
    }

    /** The baseline: the same client, body source straight into a FileChannel, SHA-256 on the same bytes. */
    private static String plain(Downloader d, String url, Path file) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        Request request = new Request.Builder().url(url).header("Accept-Encoding", "identity").build();
        try (Response resp = d.client().newCall(request).execute();
             FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            if (resp.code() != 200) throw new IOException("HTTP " + resp.code());
            BufferedSource source = resp.body().source();
            ByteBuffer buf = ByteBuffer.allocateDirect(256 << 10);
            boolean eof = false;
            while (!eof) {
                buf.clear();
                while (buf.hasRemaining() && !eof) eof = source.read(buf) < 0; // okio hands out 8 KiB at a time
                buf.flip();
                ByteBuffer forHash = buf.duplicate();
                while (buf.hasRemaining()) ch.write(buf);
                sha.update(forHash);
            }
            ch.force(true);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static String viaDownloader(Downloader d, String url, Path file, long size) throws IOException {
        FileDownloadTarget target = new FileDownloadTarget(file);
        DownloadResult r = d.download(new DownloadRequest("onnx/model.onnx", url, null, size), target, null, CancellationToken.none());
        return r.sha256();
    }

    /**
     * Into the store as a pull does it (chunked, deduplicated, committed as it goes, fsynced at the end). The blob is
     * deleted and its chunks collected right after, outside the timing: every round must store every byte again
     * rather than find its chunks already there.
     */
    private static String intoStore(Downloader d, String url, BlobStore store, long size) throws IOException {
        String sha;
        try (PartialBlob partial = store.openPartial("bench/download")) {
            StoreDownloadTarget target = new StoreDownloadTarget(partial);
            sha = d.download(new DownloadRequest("onnx/model.onnx", url, null, size), target, null, CancellationToken.none()).sha256();
        }
        return sha;
    }

    private static double median(double[] xs) {
        double[] s = xs.clone();
        java.util.Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static long parseSize(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        long mult = 1;
        if (t.endsWith("g")) mult = 1L << 30;
        else if (t.endsWith("m")) mult = 1L << 20;
        else if (t.endsWith("k")) mult = 1L << 10;
        if (mult != 1) t = t.substring(0, t.length() - 1);
        long v = Long.parseLong(t) * mult;
        if (v <= 0) throw new CommandLine.ParameterException(new CommandLine(new DownloadBenchCommand()), "--size must be positive");
        return v;
    }
}
