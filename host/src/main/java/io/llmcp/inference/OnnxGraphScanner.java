package io.llmcp.inference;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A read-only protobuf walk over a serialized ONNX model that finds the top-level graph initializers whose
 * data lives in external files, without parsing the rest of the model or copying it. Field numbers come
 * from onnx/onnx.proto: ModelProto.graph = 7; GraphProto.initializer = 5; TensorProto.dims = 1,
 * data_type = 2, name = 8, external_data = 13, data_location = 14 (EXTERNAL = 1);
 * StringStringEntryProto.key = 1, value = 2.
 */
public final class OnnxGraphScanner {
    private static final int WIRE_VARINT = 0, WIRE_FIXED64 = 1, WIRE_LEN = 2, WIRE_FIXED32 = 5;
    private static final int DATA_LOCATION_EXTERNAL = 1;

    /** One initializer stored outside the .onnx file: {@code length} bytes at {@code offset} of {@code location}. */
    public record ExternalTensor(String name, int dataType, long[] dims, String location, long offset, long length) {
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
        Reader r = new Reader(model.duplicate());
        List<ExternalTensor> out = new ArrayList<>();
        boolean sawGraph = false;
        while (r.hasMore()) {
            long tag = r.varint();
            int field = (int) (tag >>> 3), wire = (int) (tag & 7);
            if (field == 7 && wire == WIRE_LEN) {
                sawGraph = true;
                scanGraph(r.sub(), out);
            } else {
                r.skip(wire);
            }
        }
        if (!sawGraph) throw new MalformedModelException("no graph in the model (not an ONNX file?)");
        return out;
    }

    private static void scanGraph(Reader g, List<ExternalTensor> out) throws MalformedModelException {
        while (g.hasMore()) {
            long tag = g.varint();
            int field = (int) (tag >>> 3), wire = (int) (tag & 7);
            if (field == 5 && wire == WIRE_LEN) {
                ExternalTensor t = scanTensor(g.sub());
                if (t != null) out.add(t);
            } else {
                g.skip(wire);
            }
        }
    }

    private static ExternalTensor scanTensor(Reader t) throws MalformedModelException {
        List<Long> dims = new ArrayList<>();
        int dataType = 0, location = 0;
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
        if (location != DATA_LOCATION_EXTERNAL) return null;
        if (name == null || file == null) {
            throw new MalformedModelException("an external initializer lacks its name or location");
        }
        long[] d = dims.stream().mapToLong(Long::longValue).toArray();
        if (length < 0) {
            int elem = elementSize(dataType);
            if (elem <= 0) throw new MalformedModelException("initializer " + name + ": unsupported data type " + dataType);
            long n = 1;
            for (long x : d) n = Math.multiplyExact(n, x);
            length = n * elem;
        }
        return new ExternalTensor(name, dataType, d, file, offset, length);
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

    /** Minimal protobuf wire reader over a buffer window. */
    private static final class Reader {
        private final ByteBuffer buf;

        Reader(ByteBuffer buf) {
            this.buf = buf;
        }

        boolean hasMore() {
            return buf.hasRemaining();
        }

        long varint() throws MalformedModelException {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (!buf.hasRemaining()) throw new MalformedModelException("truncated varint at byte " + buf.position());
                byte b = buf.get();
                result |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) return result;
            }
            throw new MalformedModelException("varint too long at byte " + buf.position());
        }

        private int length() throws MalformedModelException {
            long len = varint();
            if (len < 0 || len > buf.remaining()) {
                throw new MalformedModelException("field length " + len + " runs past the end at byte " + buf.position());
            }
            return (int) len;
        }

        Reader sub() throws MalformedModelException {
            int len = length();
            ByteBuffer slice = buf.slice();
            slice.limit(len);
            buf.position(buf.position() + len);
            return new Reader(slice);
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
                default -> throw new MalformedModelException("unsupported wire type " + wire + " at byte " + buf.position());
            }
        }

        private void advance(int n) throws MalformedModelException {
            if (n > buf.remaining()) throw new MalformedModelException("field runs past the end at byte " + buf.position());
            buf.position(buf.position() + n);
        }
    }
}
