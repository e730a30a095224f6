package io.llmcp.inference;

import io.llmcp.failure.Details;
import io.llmcp.failure.Failure;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxTensorLike;
import ai.onnxruntime.OrtException;
import io.llmcp.inference.OnnxGraphScanner.ExternalTensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens ORT sessions straight from a {@link ModelSource}: no temp file, nothing on the Java heap.
 *
 * <p>The .onnx file goes into one direct buffer for {@code createSession(ByteBuffer, options)}. ORT parses
 * it into its own protobuf objects (the bytes are copied), so the buffer is freed right after the session
 * exists. External data ({@code model.onnx_data}, {@code model.onnx_data_1}, …) is never parsed by ORT from
 * files here: the initializers are found by {@link OnnxGraphScanner}, their bytes loaded into direct buffers
 * (segments of at most {@value #SEGMENT_MAX} bytes, so parts over 2 GiB work) and handed over with
 * {@code addExternalInitializers} as tensors that view those buffers. ORT 1.24.2 copies them while creating a
 * CPU session, so they are freed right after (only when {@link ExternalInitializerProbe} confirms the copy for
 * the ORT actually loaded; otherwise, and on CUDA, they live as long as the session).
 */
public final class SessionFactory {
    private static final Logger log = LoggerFactory.getLogger(SessionFactory.class);
    static final int SEGMENT_MAX = 1 << 30;
    static final int MIN_MOVED_BYTES = 4096;
    /** Below this the heap a store read grows is small next to the model and a full GC (~10 ms) costs more than it returns. */
    static final long HEAP_RETURN_MIN_BYTES = 256L << 20;

    private final OrtRuntime runtime;
    private final int segmentMax;
    private final Path mappedRoot;

    /** A factory that hands ORT the model from direct buffers (no files written). */
    public SessionFactory(OrtRuntime runtime) {
        this(runtime, SEGMENT_MAX, null);
    }

    /**
     * A factory that writes each model under {@code mappedRoot} for ORT to memory-map ({@link MappedModelFiles}: about
     * one copy of the weights in memory instead of two); null = direct buffers. Leftovers of dead processes are swept.
     */
    public SessionFactory(OrtRuntime runtime, Path mappedRoot) {
        this(runtime, SEGMENT_MAX, mappedRoot);
        if (mappedRoot != null) MappedModelFiles.sweep(mappedRoot);
    }

    /** {@code segmentMax}: the most bytes of external data read into one buffer (tests make it tiny). */
    SessionFactory(OrtRuntime runtime, int segmentMax, Path mappedRoot) {
        this.runtime = runtime;
        this.segmentMax = segmentMax;
        this.mappedRoot = mappedRoot;
    }

    /** Where models are written for ORT to map; null when they go through direct buffers. */
    public Path mappedRoot() {
        return mappedRoot;
    }

    public OrtRuntime runtime() {
        return runtime;
    }

    /** Runs the once-per-process checks (the external-initializer copy probe) now rather than in the first load. */
    public void warmUp() {
        ExternalInitializerProbe.ortCopiesOnCpu(runtime);
    }

    public ModelSession open(ModelSource source, String onnxPath) {
        String id = source.modelId();
        if (!source.has(onnxPath)) {
            throw invalid(id, "the model file '" + onnxPath + "' is missing; pull the model again");
        }
        if (mappedRoot != null) {
            try {
                return openMapped(source, onnxPath);
            } catch (IOException e) {
                // e.g. no room for the files: the buffers cost more memory but need no disk
                log.warn("cannot write {} for ONNX Runtime to map ({}); loading it from memory buffers", id, e.toString());
            }
        }
        return openFromBuffers(source, onnxPath);
    }

    /**
     * The model written to files ORT memory-maps, opened by path, then the files' names removed at once (the
     * mappings keep what the session still reads). IOException only for the files themselves (the caller falls back).
     */
    private ModelSession openMapped(ModelSource source, String onnxPath) throws IOException {
        String id = source.modelId();
        long start = System.nanoTime();
        MappedModelFiles files;
        try {
            files = MappedModelFiles.write(source, onnxPath, mappedRoot, MIN_MOVED_BYTES,
                    external -> partNames(source, onnxPath, externalByFile(source, onnxPath, external)));
        } catch (OnnxGraphScanner.MalformedModelException e) {
            throw invalid(id, malformed(onnxPath, e), e);
        }
        boolean ok = false;
        try {
            if (source.readsThroughHeap() && files.bytes() >= HEAP_RETURN_MIN_BYTES) returnGrownHeap();
            long writeNanos = System.nanoTime() - start;
            OrtRuntime.Opened opened = runtime.open(id, options -> runtime.env().createSession(files.graph().toString(), options));
            boolean removed = files.delete();
            long millis = (System.nanoTime() - start) / 1_000_000;
            log.info("loaded {} ({} bytes, mapped from {}) on {} in {} ms ({} ms writing)", id, files.bytes(),
                    removed ? "files already removed" : files.graph().getParent(), opened.provider(), millis, writeNanos / 1_000_000);
            ok = true;
            return new ModelSession(id, opened, files.bytes(), millis, List.of(), List.of(), files);
        } catch (OrtException e) {
            throw invalid(id, ortCannotLoad(onnxPath, e), e);
        } finally {
            if (!ok) files.close();
        }
    }

    /** Each data file the external initializers name: model path → its name relative to the .onnx file. */
    private static Map<String, String> partNames(ModelSource source, String onnxPath, Map<String, List<ExternalTensor>> byFile) {
        String dir = onnxDir(onnxPath);
        Map<String, String> out = new TreeMap<>();
        for (String file : byFile.keySet()) out.put(file, file.substring(dir.length()));
        return out;
    }

    private static String onnxDir(String onnxPath) {
        return onnxPath.contains("/") ? onnxPath.substring(0, onnxPath.lastIndexOf('/') + 1) : "";
    }

    /** The pre-mapping load: model bytes and weights in direct buffers, handed to ORT (which copies them). */
    private ModelSession openFromBuffers(ModelSource source, String onnxPath) {
        String id = source.modelId();
        long start = System.nanoTime();
        ByteBuffer model = null;
        List<ByteBuffer> segments = new ArrayList<>();
        List<OnnxTensor> tensors = new ArrayList<>();
        boolean ok = false;
        try {
            long size = source.size(onnxPath);
            if (size == 0) throw invalid(id, "the model file '" + onnxPath + "' is empty; pull the model again");
            model = NativeBuffers.allocate(size, id + "/" + onnxPath);
            source.fill(onnxPath, model);
            model.flip();
            OnnxGraphScanner.Scan scan = OnnxGraphScanner.scan(model);
            List<ExternalTensor> external = scan.external();
            Map<String, OnnxTensorLike> initializers = loadExternal(source, onnxPath, external, segments, tensors);
            long totalBytes = size + segments.stream().mapToLong(ByteBuffer::capacity).sum();

            // Inline weights become external initializers over our buffer, and ORT parses a graph without them:
            // otherwise ORT's protobuf copy, its tensors and our buffer would all coexist at the peak.
            List<OnnxGraphScanner.InlineTensor> inline = movableInline(scan.inline());
            byte[] graphOnly = null;
            if (!inline.isEmpty()) {
                Set<String> names = new HashSet<>();
                for (OnnxGraphScanner.InlineTensor t : inline) {
                    ByteBuffer slice = model.slice(t.offset(), t.length()).order(ByteOrder.LITTLE_ENDIAN);
                    OnnxTensor tensor = OnnxTensor.createTensor(runtime.env(), slice, t.dims(), javaType(t.dataType()));
                    tensors.add(tensor);
                    initializers.put(t.name(), tensor);
                    names.add(t.name());
                }
                graphOnly = OnnxGraphScanner.withInlineMovedOut(model, names);
            }

            if (source.readsThroughHeap() && totalBytes >= HEAP_RETURN_MIN_BYTES) returnGrownHeap();
            long readNanos = System.nanoTime() - start;
            ByteBuffer modelBytes = model;
            byte[] graphBytes = graphOnly;
            OrtRuntime.Opened opened = runtime.open(id, options -> {
                if (!initializers.isEmpty()) options.addExternalInitializers(initializers);
                return graphBytes != null ? runtime.env().createSession(graphBytes, options)
                        : runtime.env().createSession(modelBytes, options);
            });
            if (!tensors.isEmpty()) {
                if (OrtRuntime.CPU.equals(opened.provider()) && ExternalInitializerProbe.ortCopiesOnCpu(runtime)) {
                    // ORT holds its own copy now (probed, see ExternalInitializerProbe): ours would double the memory.
                    for (OnnxTensor t : tensors) t.close();
                    for (ByteBuffer b : segments) NativeBuffers.free(b);
                    tensors.clear();
                    segments.clear();
                } else if (graphOnly != null) {
                    segments.add(model); // the session reads inline weights from it: it lives with the session
                    model = null;
                }
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            log.info("loaded {} ({} bytes, {} external and {} inline initializers) on {} in {} ms ({} ms reading)", id,
                    totalBytes, external.size(), inline.size(), opened.provider(), millis, readNanos / 1_000_000);
            ok = true;
            return new ModelSession(id, opened, totalBytes, millis, tensors, segments, null);
        } catch (OnnxGraphScanner.MalformedModelException e) {
            throw invalid(id, malformed(onnxPath, e), e);
        } catch (OrtException e) {
            throw invalid(id, ortCannotLoad(onnxPath, e), e);
        } catch (IOException e) {
            throw invalid(id, "cannot read '" + onnxPath + "' or its data: " + e.getMessage(), e);
        } finally {
            // The session holds its own copy of the graph and of inline weights: our model buffer can go now.
            NativeBuffers.free(model);
            if (!ok) {
                for (OnnxTensor t : tensors) t.close();
                for (ByteBuffer b : segments) NativeBuffers.free(b);
            }
        }
    }

    /**
     * Reading a model out of the store passes every 4 MiB page through a new heap buffer; G1 answers that churn by
     * growing the heap (to ~300 MB for a 517 MB model, measured with native memory tracking) and keeps it committed.
     * One full collection here, before ONNX Runtime allocates its own copies, gives that memory back when it would
     * otherwise add to the load's peak and stay in the loaded process (about 0.2× of the model in both); it costs
     * about 10 ms on a heap whose live data is small (20–30 MB). Loads are rare, so the explicit GC is too.
     */
    private static void returnGrownHeap() {
        long t = System.nanoTime();
        System.gc();
        log.debug("returned the heap grown by reading the model ({} ms)", (System.nanoTime() - t) / 1_000_000);
    }

    private static String malformed(String onnxPath, OnnxGraphScanner.MalformedModelException e) {
        return "'" + onnxPath + "' is not a valid ONNX model (" + e.getMessage()
                + "); the file is corrupt or incomplete: verify or pull the model again";
    }

    private static String ortCannotLoad(String onnxPath, OrtException e) {
        return "ONNX Runtime cannot load '" + onnxPath + "': " + e.getMessage()
                + ". The file may be corrupt (verify or pull the model again) or need a newer ONNX Runtime";
    }

    /**
     * The external initializers grouped by the model file that holds them, each checked: inside the model's
     * directory, present, and within its file. MODEL_INVALID names the first that is not.
     */
    private static Map<String, List<ExternalTensor>> externalByFile(ModelSource source, String onnxPath,
                                                                    List<ExternalTensor> external) throws IOException {
        String id = source.modelId();
        String dir = onnxDir(onnxPath);
        Map<String, List<ExternalTensor>> byFile = new TreeMap<>();
        for (ExternalTensor t : external) {
            String file = dir + t.location();
            if (t.location().contains("..") || t.location().startsWith("/") || t.location().contains("\\")) {
                throw invalid(id, "initializer '" + t.name() + "' points outside the model: " + t.location());
            }
            if (!source.has(file)) {
                throw invalid(id, "external data file '" + file + "' (for initializer '" + t.name()
                        + "') is missing; pull the model again");
            }
            if (t.offset() < 0 || t.length() < 0 || t.offset() + t.length() > source.size(file)) {
                throw invalid(id, "initializer '" + t.name() + "' lies outside '" + file + "' (offset "
                        + t.offset() + ", length " + t.length() + ", file " + source.size(file) + " bytes)");
            }
            byFile.computeIfAbsent(file, k -> new ArrayList<>()).add(t);
        }
        return byFile;
    }

    private Map<String, OnnxTensorLike> loadExternal(ModelSource source, String onnxPath, List<ExternalTensor> external,
                                                     List<ByteBuffer> segments, List<OnnxTensor> tensors)
            throws IOException, OrtException {
        Map<String, OnnxTensorLike> out = new LinkedHashMap<>();
        if (external.isEmpty()) return out;
        String id = source.modelId();
        Map<String, List<ExternalTensor>> byFile = externalByFile(source, onnxPath, external);
        for (Map.Entry<String, List<ExternalTensor>> e : byFile.entrySet()) {
            List<ExternalTensor> list = new ArrayList<>(e.getValue());
            list.sort(Comparator.comparingLong(ExternalTensor::offset));
            int i = 0;
            while (i < list.size()) {
                // One segment: consecutive tensors spanning at most segmentMax bytes, read with one ranged fill.
                long segStart = list.get(i).offset();
                long segEnd = segStart + list.get(i).length();
                int j = i + 1;
                while (j < list.size() && list.get(j).offset() + list.get(j).length() - segStart <= segmentMax) {
                    segEnd = Math.max(segEnd, list.get(j).offset() + list.get(j).length());
                    j++;
                }
                long fileSize = source.size(e.getKey());
                boolean wholeFile = segStart == 0 && j == list.size() && fileSize - segEnd < 65536 && fileSize <= segmentMax;
                if (wholeFile) segEnd = fileSize;
                ByteBuffer seg = NativeBuffers.allocate(segEnd - segStart, id + "/" + e.getKey());
                segments.add(seg);
                // A part read whole goes through fill(path, buffer), which a blob store serves in one read.
                if (wholeFile) source.fill(e.getKey(), seg.duplicate());
                else source.fill(e.getKey(), segStart, seg.duplicate());
                for (int k = i; k < j; k++) {
                    ExternalTensor t = list.get(k);
                    ByteBuffer slice = seg.slice((int) (t.offset() - segStart), (int) t.length()).order(ByteOrder.LITTLE_ENDIAN);
                    OnnxTensor tensor = OnnxTensor.createTensor(runtime.env(), slice, t.dims(), javaType(id, t));
                    tensors.add(tensor);
                    out.put(t.name(), tensor);
                }
                i = j;
            }
        }
        return out;
    }

    /** Inline initializers worth moving out: at least 4 KiB, a type ORT Java can wrap, length matching the shape. */
    private static List<OnnxGraphScanner.InlineTensor> movableInline(List<OnnxGraphScanner.InlineTensor> all) {
        List<OnnxGraphScanner.InlineTensor> out = new ArrayList<>();
        for (OnnxGraphScanner.InlineTensor t : all) {
            if (t.length() < MIN_MOVED_BYTES || javaType(t.dataType()) == null) continue;
            long n = 1;
            for (long d : t.dims()) n *= d;
            if (n * OnnxGraphScanner.elementSize(t.dataType()) == t.length()) out.add(t);
        }
        return out;
    }

    private static OnnxJavaType javaType(String id, ExternalTensor t) {
        OnnxJavaType type = javaType(t.dataType());
        if (type == null) {
            throw invalid(id, "external initializer '" + t.name() + "' has ONNX data type "
                    + t.dataType() + ", which ONNX Runtime Java cannot take as an external initializer");
        }
        return type;
    }

    private static OnnxJavaType javaType(int onnxType) {
        return switch (onnxType) {
            case 1 -> OnnxJavaType.FLOAT;
            case 2 -> OnnxJavaType.UINT8;
            case 3 -> OnnxJavaType.INT8;
            case 5 -> OnnxJavaType.INT16;
            case 6 -> OnnxJavaType.INT32;
            case 7 -> OnnxJavaType.INT64;
            case 9 -> OnnxJavaType.BOOL;
            case 10 -> OnnxJavaType.FLOAT16;
            case 11 -> OnnxJavaType.DOUBLE;
            case 16 -> OnnxJavaType.BFLOAT16;
            default -> null;
        };
    }

    static InferenceException invalid(String modelId, String message) {
        return invalid(modelId, message, null);
    }

    static InferenceException invalid(String modelId, String message, Throwable cause) {
        return new InferenceException(Failure.MODEL_INVALID, "model " + modelId + ": " + message,
                Details.of("modelId", modelId), cause);
    }
}
