package io.llmcp.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class SocketFramesTest {
    /** A non-blocking channel whose bytes arrive in the pieces the test hands it; 0 when none are waiting. */
    static final class Trickle implements ReadableByteChannel {
        final Deque<ByteBuffer> pieces = new ArrayDeque<>();
        boolean ended;

        void arrive(byte[] bytes, int off, int len) {
            pieces.add(ByteBuffer.wrap(bytes, off, len));
        }

        @Override
        public int read(ByteBuffer dst) {
            if (pieces.isEmpty()) return ended ? -1 : 0;
            ByteBuffer head = pieces.peek();
            int n = Math.min(dst.remaining(), head.remaining());
            ByteBuffer slice = head.slice();
            slice.limit(n);
            dst.put(slice);
            head.position(head.position() + n);
            if (!head.hasRemaining()) pieces.poll();
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    static byte[] frame(byte[] body) {
        return ByteBuffer.allocate(4 + body.length).order(ByteOrder.nativeOrder()).putInt(body.length).put(body).array();
    }

    static byte[] body(Random random, int size) {
        byte[] b = new byte[size];
        random.nextBytes(b);
        return b;
    }

    @Property(tries = 60)
    void framesComeOutWholeAndInOrderHoweverTheBytesArrive(@ForAll long seed, @ForAll @IntRange(min = 1, max = 5000) int maxPiece,
            @ForAll @IntRange(min = 16, max = 4096) int bufferBytes) throws Exception {
        Random random = new Random(seed);
        List<byte[]> sent = new ArrayList<>();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (int i = random.nextInt(8) + 1; i > 0; i--) {
            byte[] b = body(random, random.nextInt(4) == 0 ? random.nextInt(20_000) : random.nextInt(100));
            sent.add(b);
            wire.write(frame(b));
        }
        byte[] bytes = wire.toByteArray();
        Trickle ch = new Trickle();
        SocketFrames frames = new SocketFrames(ch, bufferBytes, 1 << 20);
        List<byte[]> got = new ArrayList<>();
        int pos = 0;
        while (pos < bytes.length) {
            int n = Math.min(bytes.length - pos, 1 + random.nextInt(maxPiece));
            ch.arrive(bytes, pos, n);
            pos += n;
            byte[] f;
            while ((f = frames.poll()) != null) got.add(f);
        }
        assertThat(got).containsExactlyElementsOf(sent);
        assertThat(frames.poll()).isNull();
        ch.ended = true;
        assertThatThrownBy(frames::poll).isInstanceOf(EOFException.class).hasMessage("the engine closed the connection");
    }

    @Test
    void aFrameOverTheLimitIsSkippedAndTheNextOneArrives() throws Exception {
        Random random = new Random(1);
        Trickle ch = new Trickle();
        SocketFrames frames = new SocketFrames(ch, 64, 1000);
        byte[] big = frame(body(random, 5000));
        byte[] small = body(random, 10);
        for (int i = 0; i < big.length; i += 300) {
            ch.arrive(big, i, Math.min(300, big.length - i));
            assertThat(frames.poll()).isNull();
        }
        byte[] next = frame(small);
        ch.arrive(next, 0, next.length);
        assertThat(frames.poll()).isEqualTo(small);
    }

    @Test
    void theEngineClosingInsideAFrameIsAnEndOfStreamThatSaysSo() throws Exception {
        Trickle ch = new Trickle();
        SocketFrames frames = new SocketFrames(ch, 64, 1000);
        byte[] f = frame(new byte[100]);
        ch.arrive(f, 0, 50);
        assertThat(frames.poll()).isNull();
        ch.ended = true;
        assertThatThrownBy(frames::poll).isInstanceOf(EOFException.class).hasMessageContaining("inside a frame");
    }

    @Test
    void anEmptyFrameIsAFrame() throws Exception {
        Trickle ch = new Trickle();
        SocketFrames frames = new SocketFrames(ch, 64, 1000);
        byte[] f = frame(new byte[0]);
        ch.arrive(f, 0, f.length);
        assertThat(frames.poll()).isEmpty();
        assertThat(frames.poll()).isNull();
    }
}
