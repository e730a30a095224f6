package io.llmcp.inference;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** A model whose files sit in a plain directory (tests, benchmarks, models the user placed by hand). */
public final class DirectoryModelSource implements ModelSource {
    private final String modelId;
    private final Path dir;
    private final Map<String, Long> files;

    public DirectoryModelSource(String modelId, Path dir) throws IOException {
        this.modelId = modelId;
        this.dir = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(this.dir)) throw new NoSuchFileException(this.dir.toString(), null, "not a directory");
        Map<String, Long> found = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(this.dir)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                found.put(this.dir.relativize(p).toString().replace('\\', '/'), Files.size(p));
            }
        }
        this.files = Map.copyOf(found);
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public Map<String, Long> files() {
        return files;
    }

    public Path directory() {
        return dir;
    }

    private Path resolve(String path) throws NoSuchFileException {
        Path p = dir.resolve(path).normalize();
        // Names come from model metadata (external_data locations): never read outside the model's directory.
        if (!p.startsWith(dir) || !files.containsKey(path)) throw new NoSuchFileException(modelId + ": " + path);
        return p;
    }

    @Override
    public void fill(String path, long offset, ByteBuffer target) throws IOException {
        try (FileChannel ch = FileChannel.open(resolve(path), StandardOpenOption.READ)) {
            long pos = offset;
            while (target.hasRemaining()) {
                int n = ch.read(target, pos);
                if (n < 0) throw new IOException(modelId + ": " + path + " ended at byte " + pos + " (truncated file?)");
                pos += n;
            }
        }
    }

    @Override
    public String readText(String path) throws IOException {
        return Files.readString(resolve(path), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "directory " + dir;
    }
}
