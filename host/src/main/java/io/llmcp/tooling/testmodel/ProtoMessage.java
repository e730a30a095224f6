package io.llmcp.tooling.testmodel;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A protobuf message in wire format, built field by field and written in one pass. Sizes are known before any
 * payload is produced, so a large tensor can be generated straight into the output stream
 * ({@link #lazyBytes}) instead of being held on the heap next to its encoded copy.
 */
final class ProtoMessage {
    /** Produces exactly the announced number of bytes into {@code out}. */
    @FunctionalInterface
    interface Payload {
        void writeTo(OutputStream out) throws IOException;
    }

    private interface Field {
        long size();

        void writeTo(OutputStream out) throws IOException;
    }

    private static final int VARINT = 0;
    private static final int FIXED32 = 5;
    private static final int LENGTH_DELIMITED = 2;

    private final List<Field> fields = new ArrayList<>();
    private long cachedSize = -1;

    ProtoMessage varint(int fieldNumber, long value) {
        return add(new Field() {
            public long size() {
                return varintSize(tag(fieldNumber, VARINT)) + varintSize(value);
            }

            public void writeTo(OutputStream out) throws IOException {
                writeVarint(out, tag(fieldNumber, VARINT));
                writeVarint(out, value);
            }
        });
    }

    ProtoMessage float32(int fieldNumber, float value) {
        return add(new Field() {
            public long size() {
                return varintSize(tag(fieldNumber, FIXED32)) + 4;
            }

            public void writeTo(OutputStream out) throws IOException {
                writeVarint(out, tag(fieldNumber, FIXED32));
                int bits = Float.floatToIntBits(value);
                for (int i = 0; i < 4; i++) out.write(bits >>> (8 * i));
            }
        });
    }

    ProtoMessage string(int fieldNumber, String value) {
        return bytes(fieldNumber, value.getBytes(StandardCharsets.UTF_8));
    }

    ProtoMessage bytes(int fieldNumber, byte[] value) {
        return lazyBytes(fieldNumber, value.length, out -> out.write(value));
    }

    ProtoMessage message(int fieldNumber, ProtoMessage value) {
        return lazyBytes(fieldNumber, value.size(), value::writeTo);
    }

    /** Repeated int64 in the packed encoding (what protobuf writers emit for proto3, readers accept either). */
    ProtoMessage packedInt64(int fieldNumber, long[] values) {
        long len = 0;
        for (long v : values) len += varintSize(v);
        return lazyBytes(fieldNumber, len, out -> {
            for (long v : values) writeVarint(out, v);
        });
    }

    ProtoMessage lazyBytes(int fieldNumber, long length, Payload payload) {
        return add(new Field() {
            public long size() {
                return varintSize(tag(fieldNumber, LENGTH_DELIMITED)) + varintSize(length) + length;
            }

            public void writeTo(OutputStream out) throws IOException {
                writeVarint(out, tag(fieldNumber, LENGTH_DELIMITED));
                writeVarint(out, length);
                CountingStream counting = new CountingStream(out);
                payload.writeTo(counting);
                if (counting.count != length) {
                    throw new IllegalStateException("field " + fieldNumber + " announced " + length
                            + " bytes but wrote " + counting.count);
                }
            }
        });
    }

    long size() {
        if (cachedSize < 0) {
            long s = 0;
            for (Field f : fields) s += f.size();
            cachedSize = s;
        }
        return cachedSize;
    }

    void writeTo(OutputStream out) throws IOException {
        for (Field f : fields) f.writeTo(out);
    }

    private ProtoMessage add(Field f) {
        fields.add(f);
        cachedSize = -1;
        return this;
    }

    private static long tag(int fieldNumber, int wireType) {
        return ((long) fieldNumber << 3) | wireType;
    }

    static int varintSize(long v) {
        int n = 1;
        while ((v & ~0x7FL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    static void writeVarint(OutputStream out, long v) throws IOException {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private static final class CountingStream extends OutputStream {
        private final OutputStream out;
        long count;

        CountingStream(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
