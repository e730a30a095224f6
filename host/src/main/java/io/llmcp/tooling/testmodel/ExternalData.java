package io.llmcp.tooling.testmodel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.inference.NativeBuffers;
import io.llmcp.inference.OnnxGraphScanner;
import io.llmcp.inference.OnnxGraphScanner.ExternalRef;
import io.llmcp.inference.OnnxGraphScanner.InlineTensor;
import io.llmcp.protocol.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Moves a written test model's weights into {@code <file>_data}, as the Optimum exports do for large models and as
 * transformers.js loads them ({@code transformers.js_config.use_external_data_format} in config.json). Tensors of
 * at least 1 KiB move, each at a 4 KiB-aligned offset (the layout ONNX Runtime's own writer uses, so a reader that
 * memory-maps the file gets page-aligned tensors).
 */
public final class ExternalData {
    static final int MIN_BYTES = 1024;
    static final int ALIGN = 4096;

    private ExternalData() {
    }

    /** Rewrites {@code dir/onnxPath} with external data and marks it in {@code dir/config.json}. */
    public static void convert(Path dir, String onnxPath) {
        Path onnx = dir.resolve(onnxPath);
        String dataName = onnx.getFileName() + "_data";
        Path data = onnx.resolveSibling(dataName);
        try {
            MappedByteBuffer model;
            try (FileChannel ch = FileChannel.open(onnx, StandardOpenOption.READ)) {
                model = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            }
            byte[] graph;
            try (FileChannel in = FileChannel.open(onnx, StandardOpenOption.READ);
                 FileChannel out = FileChannel.open(data, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                         StandardOpenOption.WRITE)) {
                Map<String, ExternalRef> placed = new HashMap<>();
                long at = 0;
                for (InlineTensor t : OnnxGraphScanner.scan(model).inline()) {
                    if (t.length() < MIN_BYTES) continue;
                    at = (at + ALIGN - 1) / ALIGN * ALIGN;
                    long copied = 0;
                    while (copied < t.length()) copied += in.transferTo(t.offset() + copied, t.length() - copied, out.position(at + copied));
                    placed.put(t.name(), new ExternalRef(dataName, at, t.length()));
                    at += t.length();
                }
                graph = OnnxGraphScanner.withInlineAsExternal(model, (name, offset, length) -> placed.get(name));
            } finally {
                NativeBuffers.free(model);
            }
            Files.write(onnx, graph);
            Path configFile = dir.resolve("config.json");
            ObjectNode config = (ObjectNode) Json.MAPPER.readTree(configFile.toFile());
            config.putObject("transformers.js_config").put("use_external_data_format", true);
            Files.write(configFile, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(config));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (OnnxGraphScanner.MalformedModelException e) {
            throw new IllegalStateException("the writer produced an unreadable model: " + e.getMessage(), e);
        }
    }
}
