package io.llmcp.inference;

import io.llmcp.inference.OnnxGraphScanner.ExternalRef;
import io.llmcp.inference.OnnxGraphScanner.InlineTensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model's files written out of their source (the store) into a private directory that ONNX Runtime opens by path,
 * so that it memory-maps the weights instead of being handed a copy.
 *
 * <p>Why: ORT copies every tensor given to it from memory ({@code addExternalInitializers}, model bytes), so a load
 * from buffers holds the model twice at its peak and, with prepacking, ORT's packed copy beside both. Weights that
 * ORT maps from a file are clean page-cache pages: ORT prepacks each one and releases the mapping as it goes, so
 * the process holds about one copy. The files are streamed (one small window in memory), never fsynced, and deleted
 * as soon as the session exists: the mappings keep the data alive on POSIX systems, and a file deleted within
 * seconds is usually never written to disk at all. Where a mapped file cannot be deleted (Windows) it goes when the
 * session closes, and directories left by a process that died are swept when the next one starts.
 *
 * <p>Inline weights (models under 2 GB keep them in the .onnx file) are not copied again: the .onnx file is written
 * as it is, plus a small {@value #GRAPH} whose large initializers point into it as external data at their own
 * offsets.
 */
final class MappedModelFiles implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MappedModelFiles.class);
    /** The graph ORT opens when inline weights were re-pointed into the copied model file. */
    static final String GRAPH = "graph.onnx";
    private static final int WINDOW = 8 << 20;
    private static final AtomicLong COUNTER = new AtomicLong();

    private final Path dir;
    private final Path graph;
    private final long bytes;
    private boolean deleted;

    private MappedModelFiles(Path dir, Path graph, long bytes) {
        this.dir = dir;
        this.graph = graph;
        this.bytes = bytes;
    }

    /** Checks the external initializers a model names and says which files they need: model path → name beside the .onnx. */
    @FunctionalInterface
    interface Parts {
        Map<String, String> of(List<OnnxGraphScanner.ExternalTensor> external) throws IOException;
    }

    /**
     * Writes {@code onnxFile} and the external-data parts it names under a new directory in {@code root}; inline
     * initializers of at least {@code minMoved} bytes are re-pointed into the written .onnx file.
     */
    static MappedModelFiles write(ModelSource source, String onnxFile, Path root, int minMoved, Parts parts)
            throws IOException, OnnxGraphScanner.MalformedModelException {
        Files.createDirectories(root);
        Path dir = root.resolve(ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + "-" + System.nanoTime());
        createPrivateDir(dir);
        MappedModelFiles files = null;
        try {
            String name = baseName(onnxFile);
            Path model = dir.resolve(name);
            long total = copy(source, onnxFile, model);
            MappedByteBuffer mapped;
            try (FileChannel ch = FileChannel.open(model, StandardOpenOption.READ)) {
                mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            }
            Path graph = model;
            try {
                // The scan skips the weights' bytes, so their pages are not touched (nor counted in RSS) here.
                OnnxGraphScanner.Scan scan = OnnxGraphScanner.scan(mapped);
                for (Map.Entry<String, String> part : parts.of(scan.external()).entrySet()) {
                    Path target = dir.resolve(part.getValue()).normalize();
                    if (!target.startsWith(dir)) throw new IOException("external data name " + part.getValue() + " leaves the model");
                    Files.createDirectories(target.getParent());
                    total += copy(source, part.getKey(), target);
                }
                if (repointInline(mapped, scan.inline(), name, dir.resolve(GRAPH), minMoved)) graph = dir.resolve(GRAPH);
            } finally {
                NativeBuffers.free(mapped); // a mapping left to the GC would keep the file undeletable on Windows
            }
            files = new MappedModelFiles(dir, graph, total);
            return files;
        } finally {
            if (files == null) deleteTree(dir);
        }
    }

    /** The file to give {@code createSession(path)}. */
    Path graph() {
        return graph;
    }

    long bytes() {
        return bytes;
    }

    /**
     * Removes the directory. Safe once the session exists: on POSIX systems a mapped file stays readable after
     * its name is gone. False when something could not be removed yet (Windows keeps mapped files); try again later.
     */
    synchronized boolean delete() {
        if (deleted) return true;
        deleted = deleteTree(dir);
        return deleted;
    }

    @Override
    public void close() {
        if (!delete()) log.warn("could not remove {}; it is removed when the host next starts", dir);
    }

    /** Removes what processes that are gone left under {@code root} (a crash between writing and loading). */
    static void sweep(Path root) {
        if (!Files.isDirectory(root)) return;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path d : dirs) {
                String n = d.getFileName().toString();
                int dash = n.indexOf('-');
                long pid;
                try {
                    pid = Long.parseLong(dash > 0 ? n.substring(0, dash) : n);
                } catch (NumberFormatException e) {
                    continue; // not ours
                }
                boolean alive = pid == ProcessHandle.current().pid() || ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
                if (!alive && deleteTree(d)) log.info("removed {} left by process {}", d, pid);
            }
        } catch (IOException e) {
            log.debug("cannot sweep {}: {}", root, e.toString());
        }
    }

    /** Streams one file of the model through a small window: the model is never whole in this process's memory. */
    private static long copy(ModelSource source, String path, Path target) throws IOException {
        long size = source.size(path);
        ByteBuffer window = ByteBuffer.allocateDirect((int) Math.min(WINDOW, Math.max(1, size)));
        try (FileChannel out = FileChannel.open(target, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            long at = 0;
            while (at < size) {
                window.clear().limit((int) Math.min(window.capacity(), size - at));
                source.fill(path, at, window);
                window.flip();
                while (window.hasRemaining()) out.write(window);
                at += window.limit();
            }
        } finally {
            NativeBuffers.free(window);
        }
        return size;
    }

    /**
     * Writes {@code graphFile}: the model with its large inline initializers re-pointed into {@code modelName} (the
     * written .onnx itself) at their raw bytes' offsets. False when there is nothing to re-point.
     */
    private static boolean repointInline(MappedByteBuffer model, List<InlineTensor> inline, String modelName, Path graphFile,
                                         int minMoved) throws IOException, OnnxGraphScanner.MalformedModelException {
        Map<String, InlineTensor> moved = new HashMap<>();
        for (InlineTensor t : inline) if (t.length() >= minMoved) moved.put(t.name(), t);
        if (moved.isEmpty()) return false;
        byte[] graph = OnnxGraphScanner.withInlineAsExternal(model, (name, offset, length) ->
                moved.containsKey(name) && length >= minMoved ? new ExternalRef(modelName, offset, length) : null);
        Files.write(graphFile, graph, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        return true;
    }

    private static String baseName(String path) {
        int slash = path.lastIndexOf('/');
        return slash >= 0 ? path.substring(slash + 1) : path;
    }

    private static void createPrivateDir(Path dir) throws IOException {
        try {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException e) {
            Files.createDirectory(dir); // not POSIX: the data dir's own protection applies
        }
    }

    private static boolean deleteTree(Path dir) {
        if (!Files.exists(dir)) return true;
        boolean ok = true;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    ok = false;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return ok;
    }
}
