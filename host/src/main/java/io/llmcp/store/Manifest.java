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
 * What a committed blob is made of, stored under its whole-file SHA-256. Every chunk is
 * {@code chunkSize} bytes except the last, so offsets follow from the position in the list. A committed
 * manifest implies its chunks are committed: they are put (and committed) before the manifest is.
 */
record Manifest(long size, int chunkSize, long fetchedAt, String sourceUrl, String etag, List<byte[]> chunks) {
    private static final int VERSION = 1;

    int chunkLength(int i) {
        return (int) Math.min(chunkSize, size - (long) i * chunkSize);
    }

    BlobInfo info(String sha256) {
        return new BlobInfo(sha256, size, chunks.size(), sourceUrl, etag, fetchedAt);
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 32 * chunks.size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            out.writeLong(size);
            out.writeInt(chunkSize);
            out.writeLong(fetchedAt);
            Codec.writeNullable(out, sourceUrl);
            Codec.writeNullable(out, etag);
            Codec.writeHashes(out, chunks);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static Manifest decode(byte[] b) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(b))) {
            int v = in.readByte();
            if (v != VERSION) throw new IOException("unknown manifest version " + v);
            long size = in.readLong();
            int chunkSize = in.readInt();
            long fetchedAt = in.readLong();
            String url = Codec.readNullable(in);
            String etag = Codec.readNullable(in);
            return new Manifest(size, chunkSize, fetchedAt, url, etag, Codec.readHashes(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Small helpers shared with {@link PartialState}. */
    static final class Codec {
        private Codec() {
        }

        static void writeNullable(DataOutputStream out, String s) throws IOException {
            out.writeBoolean(s != null);
            if (s != null) out.writeUTF(s);
        }

        static String readNullable(DataInputStream in) throws IOException {
            return in.readBoolean() ? in.readUTF() : null;
        }

        static void writeHashes(DataOutputStream out, List<byte[]> hashes) throws IOException {
            out.writeInt(hashes.size());
            for (byte[] h : hashes) out.write(h);
        }

        static List<byte[]> readHashes(DataInputStream in) throws IOException {
            int n = in.readInt();
            List<byte[]> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                byte[] h = new byte[32];
                in.readFully(h);
                out.add(h);
            }
            return out;
        }
    }
}
