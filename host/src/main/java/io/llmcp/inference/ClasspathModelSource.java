package io.llmcp.inference;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLConnection;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model shipped inside the jar as classpath resources, such as the built-in all-MiniLM-L6-v2
 * (from the langchain4j artifact: {@code all-minilm-l6-v2.onnx}, {@code all-minilm-l6-v2-tokenizer.json}).
 * The model's logical paths ({@code model.onnx}, {@code tokenizer.json}) map onto resource names.
 */
public final class ClasspathModelSource implements ModelSource {
    public static final String MINILM_ID = "all-minilm-l6-v2";

    private final String modelId;
    private final Map<String, String> resources;
    private final Map<String, Long> files = new LinkedHashMap<>();
    private final ClassLoader loader;

    public ClasspathModelSource(String modelId, Map<String, String> pathToResource) throws IOException {
        this.modelId = modelId;
        this.resources = Map.copyOf(pathToResource);
        this.loader = ClasspathModelSource.class.getClassLoader();
        for (Map.Entry<String, String> e : pathToResource.entrySet()) {
            URL url = loader.getResource(e.getValue());
            if (url == null) throw new NoSuchFileException("classpath resource " + e.getValue() + " (model " + modelId + ")");
            URLConnection c = url.openConnection();
            c.setUseCaches(false); // a cached JarFile would stay open for the life of the process
            files.put(e.getKey(), c.getContentLengthLong());
            c.getInputStream().close();
        }
    }

    /** The built-in embedding model; it needs no download. */
    public static ClasspathModelSource minilm() throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model.onnx", "all-minilm-l6-v2.onnx");
        m.put("tokenizer.json", "all-minilm-l6-v2-tokenizer.json");
        return new ClasspathModelSource(MINILM_ID, m);
    }

    @Override
    public String modelId() {
        return modelId;
    }

    @Override
    public Map<String, Long> files() {
        return Map.copyOf(files);
    }

    private InputStream open(String path) throws IOException {
        String res = resources.get(path);
        if (res == null) throw new NoSuchFileException(modelId + ": " + path);
        URLConnection c = loader.getResource(res).openConnection();
        c.setUseCaches(false);
        return c.getInputStream();
    }

    @Override
    public void fill(String path, long offset, ByteBuffer target) throws IOException {
        // Copy through a small heap window: the model itself never lives on the Java heap.
        byte[] window = new byte[1 << 16];
        try (InputStream in = open(path)) {
            in.skipNBytes(offset);
            while (target.hasRemaining()) {
                int n = in.read(window, 0, Math.min(window.length, target.remaining()));
                if (n < 0) throw new IOException(modelId + ": " + path + " ended early");
                target.put(window, 0, n);
            }
        }
    }

    @Override
    public String readText(String path) throws IOException {
        try (InputStream in = open(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Override
    public String toString() {
        return "classpath " + resources.values();
    }
}
