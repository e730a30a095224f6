package io.llmcp.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Stream views of a blocking socket channel that let one thread read while another writes.
 * {@code Channels.newInputStream} would not: on JDK 17 it holds the channel's blocking lock during a read,
 * so a writer would wait for the next incoming frame.
 */
public final class SocketStreams {
    private SocketStreams() {
    }

    public static InputStream in(SocketChannel ch) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) return 0;
                int n = ch.read(ByteBuffer.wrap(b, off, len));
                return n;
            }

            @Override
            public void close() throws IOException {
                ch.close();
            }
        };
    }

    public static OutputStream out(SocketChannel ch) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                ByteBuffer buf = ByteBuffer.wrap(b, off, len);
                while (buf.hasRemaining()) ch.write(buf);
            }

            /** Half-closes: the peer reads end of stream, and we can still read its last answers. */
            @Override
            public void close() throws IOException {
                if (ch.isOpen()) ch.shutdownOutput();
            }
        };
    }
}
