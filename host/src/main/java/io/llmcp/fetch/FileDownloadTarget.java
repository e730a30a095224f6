package io.llmcp.fetch;

import io.llmcp.failure.Details;
import io.llmcp.failure.Failure;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A {@link DownloadTarget} that is a plain file: {@code <file>.part} while downloading (resumable from its
 * length, the source URL and ETag kept beside it in {@code <file>.part.json}), renamed to {@code <file>} once
 * verified. SHA-256 is computed while writing; after a resume the existing prefix is hashed once, on the first
 * write, so finish never re-reads the whole file.
 */
public final class FileDownloadTarget implements DownloadTarget {
    private final Path file;
    private final Path part;
    private final Path meta;
    private FileChannel channel;
    private MessageDigest digest;
    private String etag;

    public FileDownloadTarget(Path file) throws IOException {
        this.file = file;
        this.part = file.resolveSibling(file.getFileName() + ".part");
        this.meta = file.resolveSibling(file.getFileName() + ".part.json");
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        this.channel = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        this.channel.position(channel.size());
        if (Files.isRegularFile(meta)) {
            JsonNode n = Json.MAPPER.readTree(meta.toFile());
            this.etag = n.path("etag").isTextual() ? n.path("etag").asText() : null;
        }
    }

    public Path file() {
        return file;
    }

    @Override
    public long committedBytes() {
        try {
            return channel.position();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String etag() {
        return etag;
    }

    @Override
    public void setSource(String url, String etag, long expectedSize) throws IOException {
        this.etag = etag;
        ObjectNode n = Json.object().put("url", url).put("etag", etag).put("expectedSize", expectedSize);
        Files.writeString(meta, Json.MAPPER.writeValueAsString(n));
    }

    @Override
    public void write(ByteBuffer data) throws IOException {
        if (digest == null) hashPrefix();
        ByteBuffer forHash = data.duplicate();
        while (data.hasRemaining()) channel.write(data);
        digest.update(forHash);
    }

    @Override
    public void checkpoint() throws IOException {
        channel.force(false);
    }

    @Override
    public void restart() throws IOException {
        channel.truncate(0);
        channel.position(0);
        digest = newDigest();
        etag = null;
        Files.deleteIfExists(meta);
    }

    @Override
    public FinishedFile finish(String expectedSha256, long expectedSize) throws IOException {
        if (digest == null) hashPrefix();
        long size = channel.position();
        String sha = HexFormatter.hex(digest.digest());
        digest = null;
        if (expectedSize >= 0 && size != expectedSize) {
            discard();
            throw new FetchException(Failure.VERIFY_FAILED, "downloaded " + size + " bytes but the server announced "
                    + expectedSize + "; the bad file was removed", Details.of("size", size, "expectedSize", expectedSize));
        }
        if (expectedSha256 != null && !expectedSha256.equalsIgnoreCase(sha)) {
            discard();
            throw new FetchException(Failure.VERIFY_FAILED, "SHA-256 " + sha + " does not match the announced "
                    + expectedSha256 + "; the bad file was removed", Details.of("sha256", sha, "expectedSha256", expectedSha256));
        }
        channel.force(true);
        channel.close();
        Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(meta);
        return new FinishedFile(sha, size);
    }

    @Override
    public void discard() throws IOException {
        if (channel.isOpen()) channel.close();
        Files.deleteIfExists(part);
        Files.deleteIfExists(meta);
    }

    /** Closes the file without dropping it (a later {@code new FileDownloadTarget(file)} resumes). */
    public void close() throws IOException {
        if (channel.isOpen()) channel.close();
    }

    private void hashPrefix() throws IOException {
        digest = newDigest();
        long end = channel.position();
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        long pos = 0;
        while (pos < end) {
            buf.clear();
            if (end - pos < buf.capacity()) buf.limit((int) (end - pos));
            int n = channel.read(buf, pos);
            if (n < 0) break;
            buf.flip();
            digest.update(buf);
            pos += n;
        }
    }

    private static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
