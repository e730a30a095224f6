package io.llmcp.store;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The persisted progress of an unfinished ingest: its source (so a resume can send If-Range) and the full
 * chunks handed to the store so far. Saved with every commit, so after a kill it lists exactly the chunks
 * that survived.
 */
final class PartialState {
    private static final int VERSION = 1;

    String sourceUrl;
    String etag;
    long expectedSize = -1;
    final int chunkSize;
    final long createdAt;
    final List<byte[]> chunks;

    PartialState(int chunkSize, long createdAt, List<byte[]> chunks) {
        this.chunkSize = chunkSize;
        this.createdAt = createdAt;
        this.chunks = chunks;
    }

    long bytes() {
        return (long) chunks.size() * chunkSize;
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 32 * chunks.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeInt(chunkSize);
            out.writeLong(createdAt);
            out.writeLong(expectedSize);
            Manifest.Codec.writeNullable(out, sourceUrl);
            Manifest.Codec.writeNullable(out, etag);
            Manifest.Codec.writeHashes(out, chunks);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static PartialState decode(byte[] b) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
            int v = in.readByte();
            if (v != VERSION) throw new IOException("unknown partial version " + v);
            int chunkSize = in.readInt();
            long createdAt = in.readLong();
            long expected = in.readLong();
            String url = Manifest.Codec.readNullable(in);
            String etag = Manifest.Codec.readNullable(in);
            PartialState s = new PartialState(chunkSize, createdAt, new ArrayList<>(Manifest.Codec.readHashes(in)));
            s.expectedSize = expected;
            s.sourceUrl = url;
            s.etag = etag;
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
