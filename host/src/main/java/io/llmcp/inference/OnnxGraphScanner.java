package io.llmcp.inference;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A read-only protobuf walk over a serialized ONNX model that finds the top-level graph initializers and
 * where their bytes are — in external files, or inline as {@code raw_data} — without parsing the rest of
 * the model or copying it; and a rewrite that marks chosen inline initializers as external so ORT gets a
 * small graph plus the weights as tensors over our buffer. Field numbers from onnx/onnx.proto:
 * ModelProto.graph = 7; GraphProto.initializer = 5; TensorProto.dims = 1, data_type = 2, name = 8,
 * raw_data = 9, external_data = 13, data_location = 14 (EXTERNAL = 1); StringStringEntryProto.key = 1, value = 2.
 */
public final class OnnxGraphScanner {
    private static final int WIRE_VARINT = 0, WIRE_FIXED64 = 1, WIRE_LEN = 2, WIRE_FIXED32 = 5;
    private static final int DATA_LOCATION_EXTERNAL = 1;

    /** One initializer stored outside the .onnx file: {@code length} bytes at {@code offset} of {@code location}. */
    public record ExternalTensor(String name, int dataType, long[] dims, String location, long offset, long length) {
    }

    /** One initializer whose bytes are inline: {@code length} bytes at {@code offset} of the model buffer. */
    public record InlineTensor(String name, int dataType, long[] dims, int offset, int length) {
    }

    public record Scan(List<ExternalTensor> external, List<InlineTensor> inline) {
    }

    /** Thrown for bytes that are not a well-formed ONNX protobuf. */
    public static final class MalformedModelException extends Exception {
        MalformedModelException(String message) {
            super(message);
        }
    }

    private OnnxGraphScanner() {
    }

    /** The external initializers of {@code model} (read from its position to its limit; the buffer is not moved). */
    public static List<ExternalTensor> externalInitializers(ByteBuffer model) throws MalformedModelException {
        return scan(model).external();
    }

    /** Every top-level initializer with external data or inline {@code raw_data}. */
    public static Scan scan(ByteBuffer model) throws MalformedModelException {
        Reader r = new Reader(model.duplicate(), 0);
        Scan out = new Scan(new ArrayList<>(), new ArrayList<>());
        boolean sawGraph = false;
        while (r.hasMore()) {
            long tag = r.varint();
            int field = (int) (tag >>> 3), wire = (int) (tag & 7);
            if (field == 7 && wire == WIRE_LEN) {
                sawGraph = true;
                Reader g = r.sub();
                while (g.hasMore()) {
                    long gtag = g.varint();
                    int gf = (int) (gtag >>> 3), gw = (int) (gtag & 7);
                    if (gf == 5 && gw == WIRE_LEN) scanTensor(g.sub(), out);
                    else g.skip(gw);
                }
            } else {
                r.skip(wire);
            }
        }
        if (!sawGraph) throw new MalformedModelException("no graph in the model (not an ONNX file?)");
        return out;
    }

    private static void scanTensor(Reader t, Scan out) throws MalformedModelException {
        List<Long> dims = new ArrayList<>();
        int dataType = 0, location = 0, rawOffset = -1, rawLength = 0;
        String name = null, file = null;
        long offset = 0, length = -1;
        while (t.hasMore()) {
            long tag = t.varint();
            int field = (int) (tag >>> 3), wire = (int) (tag & 7);
            if (field == 1 && wire == WIRE_VARINT) {
                dims.add(t.varint());
            } else if (field == 1 && wire == WIRE_LEN) { // packed repeated int64
                Reader packed = t.sub();
                while (packed.hasMore()) dims.add(packed.varint());
            } else if (field == 2 && wire == WIRE_VARINT) {
                dataType = (int) t.varint();
            } else if (field == 8 && wire == WIRE_LEN) {
                name = t.string();
            } else if (field == 9 && wire == WIRE_LEN) {
                Reader raw = t.sub();
                rawOffset = raw.base;
                rawLength = raw.buf.remaining();
            } else if (field == 14 && wire == WIRE_VARINT) {
                location = (int) t.varint();
            } else if (field == 13 && wire == WIRE_LEN) {
                Reader entry = t.sub();
                String key = null, value = null;
                while (entry.hasMore()) {
                    long etag = entry.varint();
                    int ef = (int) (etag >>> 3), ew = (int) (etag & 7);
                    if (ef == 1 && ew == WIRE_LEN) key = entry.string();
                    else if (ef == 2 && ew == WIRE_LEN) value = entry.string();
                    else entry.skip(ew);
                }
                if (key == null || value == null) continue;
                try {
                    switch (key) {
                        case "location" -> file = value;
                        case "offset" -> offset = Long.parseLong(value);
                        case "length" -> length = Long.parseLong(value);
                        default -> { } // checksum etc.: not needed to place the bytes
                    }
                } catch (NumberFormatException e) {
                    throw new MalformedModelException("initializer " + name + ": external_data " + key + " is not a number: " + value);
                }
            } else {
                t.skip(wire);
            }
        }
        long[] d = dims.stream().mapToLong(Long::longValue).toArray();
        if (location != DATA_LOCATION_EXTERNAL) {
            if (rawOffset >= 0 && name != null) out.inline().add(new InlineTensor(name, dataType, d, rawOffset, rawLength));
            return;
        }
        if (name == null || file == null) {
            throw new MalformedModelException("an external initializer lacks its name or location");
        }
        if (length < 0) {
            int elem = elementSize(dataType);
            if (elem <= 0) throw new MalformedModelException("initializer " + name + ": unsupported data type " + dataType);
            long n = 1;
            for (long x : d) n = Math.multiplyExact(n, x);
            length = n * elem;
        }
        out.external().add(new ExternalTensor(name, dataType, d, file, offset, length));
    }

    /** Where a rewritten initializer's bytes are said to be: {@code length} bytes at {@code offset} of file {@code location}. */
    public record ExternalRef(String location, long offset, long length) {
    }

    /**
     * A copy of {@code model} in which the initializers named in {@code names} lose their {@code raw_data}
     * and are marked external (location {@code "llmcp:memory"}), to be supplied with addExternalInitializers.
     * Everything else is copied byte for byte. The copy holds no weights, so it is small.
     */
    public static byte[] withInlineMovedOut(ByteBuffer model, Set<String> names) throws MalformedModelException {
        return withInlineAsExternal(model, (name, rawOffset, rawLength) ->
                names.contains(name) ? new ExternalRef("llmcp:memory", 0, rawLength) : null);
    }

    /** Chooses, for an inline initializer, where its bytes are to be found instead; null keeps it inline. */
    @FunctionalInterface
    public interface Relocation {
        ExternalRef place(String name, int rawOffset, int rawLength);
    }

    /**
     * A copy of {@code model} in which every inline initializer that {@code relocation} places loses its
     * {@code raw_data} and points at that place instead (ONNX external data). With the model file itself as the
     * location and the raw bytes' own offset, ORT memory-maps the weights straight out of the unchanged file.
     */
    public static byte[] withInlineAsExternal(ByteBuffer model, Relocation relocation) throws MalformedModelException {
        Reader r = new Reader(model.duplicate(), 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (r.hasMore()) {
            int start = r.buf.position();
            long tag = r.varint();
            int field = (int) (tag >>> 3), wire = (int) (tag & 7);
            if (field == 7 && wire == WIRE_LEN) {
                ByteArrayOutputStream graph = new ByteArrayOutputStream();
                Reader g = r.sub();
                while (g.hasMore()) {
                    int gstart = g.buf.position();
                    long gtag = g.varint();
                    int gf = (int) (gtag >>> 3), gw = (int) (gtag & 7);
                    if (gf == 5 && gw == WIRE_LEN) {
                        Reader t = g.sub();
                        byte[] rewritten = rewriteTensor(t, relocation);
                        if (rewritten == null) copy(g.buf, gstart, g.buf.position(), graph);
                        else writeField(graph, 5, rewritten);
                    } else {
                        g.skip(gw);
                        copy(g.buf, gstart, g.buf.position(), graph);
                    }
                }
                writeField(out, 7, graph.toByteArray());
            } else {
                r.skip(wire);
                copy(r.buf, start, r.buf.position(), out);
            }
        }
        return out.toByteArray();
    }

    /** The tensor without raw_data and with external markers when it is relocated; null = keep as is. */
    private static byte[] rewriteTensor(Reader t, Relocation relocation) throws MalformedModelException {
        ByteArrayOutputStream kept = new ByteArrayOutputStream();
        String name = null;
        int rawOffset = -1;
        int rawLength = 0;
        while (t.hasMore()) {
            int start = t.buf.position();
            long tag = t.varint();
            int field = (int) (tag >>> 3), wire = (int) (tag & 7);
            if (field == 8 && wire == WIRE_LEN) {
                name = t.string();
                copy(t.buf, start, t.buf.position(), kept);
            } else if (field == 9 && wire == WIRE_LEN) {
                Reader raw = t.sub(); // dropped if relocated
                rawOffset = raw.base;
                rawLength = raw.buf.remaining();
            } else {
                t.skip(wire);
                copy(t.buf, start, t.buf.position(), kept);
            }
        }
        ExternalRef ref = name == null || rawOffset < 0 ? null : relocation.place(name, rawOffset, rawLength);
        if (ref == null) return null;
        ProtoWriter extra = new ProtoWriter()
                .message(13, new ProtoWriter().string(1, "location").string(2, ref.location()))
                .message(13, new ProtoWriter().string(1, "offset").string(2, Long.toString(ref.offset())))
                .message(13, new ProtoWriter().string(1, "length").string(2, Long.toString(ref.length())))
                .varint(14, DATA_LOCATION_EXTERNAL);
        byte[] e = extra.toByteArray();
        kept.write(e, 0, e.length);
        return kept.toByteArray();
    }

    private static void copy(ByteBuffer buf, int from, int to, ByteArrayOutputStream out) {
        ByteBuffer d = buf.duplicate();
        d.position(from).limit(to);
        byte[] b = new byte[to - from];
        d.get(b);
        out.write(b, 0, b.length);
    }

    private static void writeField(ByteArrayOutputStream out, int field, byte[] payload) {
        byte[] b = new ProtoWriter().bytes(field, payload).toByteArray();
        out.write(b, 0, b.length);
    }

    /** Bytes per element of an ONNX TensorProto.DataType, or -1 when unsupported here. */
    public static int elementSize(int dataType) {
        return switch (dataType) {
            case 1, 6, 12 -> 4;            // FLOAT, INT32, UINT32
            case 2, 3, 9 -> 1;             // UINT8, INT8, BOOL
            case 4, 5, 10, 16 -> 2;        // UINT16, INT16, FLOAT16, BFLOAT16
            case 7, 11, 13 -> 8;           // INT64, DOUBLE, UINT64
            default -> -1;
        };
    }

    /** Minimal protobuf wire reader over a buffer window; {@code base} is the window's offset in the model. */
    private static final class Reader {
        private final ByteBuffer buf;
        private final int base;

        Reader(ByteBuffer buf, int base) {
            this.buf = buf;
            this.base = base;
        }

        boolean hasMore() {
            return buf.hasRemaining();
        }

        long varint() throws MalformedModelException {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (!buf.hasRemaining()) throw new MalformedModelException("truncated varint at byte " + (base + buf.position()));
                byte b = buf.get();
                result |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) return result;
            }
            throw new MalformedModelException("varint too long at byte " + (base + buf.position()));
        }

        private int length() throws MalformedModelException {
            long len = varint();
            if (len < 0 || len > buf.remaining()) {
                throw new MalformedModelException("field length " + len + " runs past the end at byte " + (base + buf.position()));
            }
            return (int) len;
        }

        Reader sub() throws MalformedModelException {
            int len = length();
            int at = buf.position();
            ByteBuffer slice = buf.slice();
            slice.limit(len);
            buf.position(at + len);
            return new Reader(slice, base + at);
        }

        String string() throws MalformedModelException {
            int len = length();
            byte[] b = new byte[len];
            buf.get(b);
            return new String(b, StandardCharsets.UTF_8);
        }

        void skip(int wire) throws MalformedModelException {
            switch (wire) {
                case WIRE_VARINT -> varint();
                case WIRE_FIXED64 -> advance(8);
                case WIRE_LEN -> advance(length());
                case WIRE_FIXED32 -> advance(4);
                default -> throw new MalformedModelException("unsupported wire type " + wire + " at byte " + (base + buf.position()));
            }
        }

        private void advance(int n) throws MalformedModelException {
            if (n > buf.remaining()) throw new MalformedModelException("field runs past the end at byte " + (base + buf.position()));
            buf.position(buf.position() + n);
        }
    }
}
