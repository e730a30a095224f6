package io.llmcp.store;

import java.nio.ByteBuffer;
import java.util.Arrays;
import org.h2.mvstore.DataUtils;
import org.h2.mvstore.WriteBuffer;
import org.h2.mvstore.type.BasicDataType;

/**
 * {@code byte[]} keys and values with exact memory accounting. H2's own {@code ByteArrayDataType} samples
 * sizes with a memory estimator; with 4 MiB chunks next to 32-byte pads it under-counted pages so badly that
 * the page cache grew past the heap (measured: OOM deleting a 1 GiB blob, see docs/STORE.md).
 * Keys compare as unsigned bytes so 32-byte hashes can key the index map.
 */
final class BytesType extends BasicDataType<byte[]> {
    static final BytesType INSTANCE = new BytesType();

    private BytesType() {
    }

    @Override
    public int getMemory(byte[] obj) {
        return 24 + obj.length;
    }

    @Override
    public boolean isMemoryEstimationAllowed() {
        return false;
    }

    @Override
    public void write(WriteBuffer buff, byte[] obj) {
        buff.putVarInt(obj.length).put(obj);
    }

    @Override
    public byte[] read(ByteBuffer buff) {
        byte[] b = new byte[DataUtils.readVarInt(buff)];
        buff.get(b);
        return b;
    }

    @Override
    public int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    @Override
    public byte[][] createStorage(int size) {
        return new byte[size][];
    }
}
