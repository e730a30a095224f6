package io.llmcp.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class FramePropertiesTest {

    @Property(tries = 200)
    void anyMessageRoundTrips(@ForAll("unicodeText") String text, @ForAll boolean oneByteReads) throws IOException {
        byte[] payload = Json.MAPPER.writeValueAsBytes(Json.object().put("jsonrpc", "2.0").put("method", "x").put("text", text));
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        new FrameWriter(wire).write(payload);
        InputStream in = new ByteArrayInputStream(wire.toByteArray());
        FrameReader reader = new FrameReader(oneByteReads ? new OneByteAtATime(in) : in);
        byte[] back = reader.read();
        assertThat(back).isEqualTo(payload);
        assertThat(Json.MAPPER.readTree(back).get("text").asText()).isEqualTo(text);
        assertThat(reader.read()).isNull();
    }

    @Provide
    Arbitrary<String> unicodeText() {
        Arbitrary<String> anyChars = Arbitraries.strings().all().ofMaxLength(300);
        Arbitrary<String> emojiAndCjk = Arbitraries.of("👋", "你好", "Grüße", "𝄞", "\u0000", "\"", "\\", "é")
                .list().ofMaxSize(50).map(l -> String.join("", l));
        return Arbitraries.oneOf(anyChars, emojiAndCjk);
    }

    @Property(tries = 30)
    void sizesAtTheLimitsAreExact(@ForAll @IntRange(min = -3, max = 3) int delta) throws IOException {
        int limit = FrameWriter.BROWSER_MAX_FRAME_BYTES;
        byte[] payload = new byte[limit + delta];
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(wire);
        if (payload.length > limit) {
            assertThatThrownBy(() -> writer.write(payload)).isInstanceOf(FrameWriter.FrameTooLargeException.class);
            assertThat(wire.size()).isZero();
        } else {
            writer.write(payload);
            FrameReader reader = new FrameReader(new ByteArrayInputStream(wire.toByteArray()), limit, ByteOrder.nativeOrder());
            assertThat(reader.read()).hasSize(payload.length);
        }
    }

    @Test
    void incomingFrameJustOverTheLimitIsSkippedAndTheNextOneRead() throws IOException {
        int limit = 64;
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        FrameWriter w = new FrameWriter(wire, Integer.MAX_VALUE, ByteOrder.nativeOrder());
        w.write(new byte[limit + 1]);
        w.write("{}".getBytes(StandardCharsets.UTF_8));
        FrameReader r = new FrameReader(new ByteArrayInputStream(wire.toByteArray()), limit, ByteOrder.nativeOrder());
        assertThatThrownBy(r::read).isInstanceOf(FrameReader.OversizedFrameException.class)
                .hasMessageContaining("65 bytes exceeds the limit of 64");
        assertThat(new String(r.read(), StandardCharsets.UTF_8)).isEqualTo("{}");
    }

    @Test
    void hugeDeclaredLengthIsNotAllocated() {
        // 4 GiB - 1 declared, 3 bytes present: must fail fast without trying to allocate, and, the length being
        // implausible (over 4x the limit), say the stream is out of step rather than wait for 4 GiB to skip.
        byte[] wire = ByteBuffer.allocate(7).order(ByteOrder.nativeOrder()).putInt(-1).put(new byte[3]).array();
        FrameReader r = new FrameReader(new ByteArrayInputStream(wire), 1024, ByteOrder.nativeOrder());
        assertThatThrownBy(r::read).isInstanceOfSatisfying(FrameReader.OversizedFrameException.class, e -> {
            assertThat(e.length).isEqualTo(0xFFFF_FFFFL);
            assertThat(e.resynchronisable).isFalse();
        });
    }

    @Test
    void aPlausiblyOversizedFrameIsRefusedBeforeItsBodyIsRead() throws IOException {
        // 2 KiB declared against a 1 KiB limit, and only 3 body bytes so far: refused now, skipped on the next read
        byte[] wire = ByteBuffer.allocate(7).order(ByteOrder.nativeOrder()).putInt(2048).put(new byte[3]).array();
        FrameReader r = new FrameReader(new ByteArrayInputStream(wire), 1024, ByteOrder.nativeOrder());
        assertThatThrownBy(r::read).isInstanceOfSatisfying(FrameReader.OversizedFrameException.class,
                e -> assertThat(e.resynchronisable).isTrue());
        assertThatThrownBy(r::read).isInstanceOf(EOFException.class).hasMessageContaining("oversized frame");
    }

    /** Any byte stream, read in any piece sizes, yields frames or a precise error, and always terminates. */
    @Property(tries = 500)
    void arbitraryBytesNeverHangOrThrowUnexpectedly(@ForAll @Size(max = 600) List<Byte> bytes,
                                                     @ForAll boolean oneByteReads) {
        byte[] raw = new byte[bytes.size()];
        for (int i = 0; i < raw.length; i++) raw[i] = bytes.get(i);
        InputStream in = new ByteArrayInputStream(raw);
        FrameReader reader = new FrameReader(oneByteReads ? new OneByteAtATime(in) : in, 256, ByteOrder.nativeOrder());
        List<byte[]> frames = new ArrayList<>();
        int consumedBound = raw.length + 1;
        for (int i = 0; i < consumedBound; i++) {
            try {
                byte[] f = reader.read();
                if (f == null) break;
                frames.add(f);
            } catch (FrameReader.OversizedFrameException e) {
                assertThat(e.length).isGreaterThan(256);
            } catch (EOFException e) {
                break; // truncated header/body, or the stream ended while skipping: precise and final
            } catch (IOException e) {
                throw new AssertionError("unexpected I/O error type " + e, e);
            }
        }
        assertThat(frames.stream().mapToInt(f -> f.length + 4).sum()).isLessThanOrEqualTo(raw.length);
    }

    /** Truncating a valid stream anywhere gives the frames before the cut and then a truncation error. */
    @Property(tries = 200)
    void truncatedStreamsGivePrefixThenTruncation(@ForAll @IntRange(min = 0, max = 40) int cut) throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        FrameWriter w = new FrameWriter(wire);
        w.write("{\"a\":1}".getBytes(StandardCharsets.UTF_8)); // 11 bytes on the wire
        w.write("{\"b\":22}".getBytes(StandardCharsets.UTF_8)); // 12 bytes on the wire
        byte[] all = wire.toByteArray();
        byte[] cutBytes = java.util.Arrays.copyOf(all, Math.min(cut, all.length));
        FrameReader r = new FrameReader(new OneByteAtATime(new ByteArrayInputStream(cutBytes)));
        int complete = cutBytes.length >= 23 ? 2 : cutBytes.length >= 11 ? 1 : 0;
        for (int i = 0; i < complete; i++) assertThat(r.read()).isNotNull();
        boolean cleanEnd = cutBytes.length == 0 || cutBytes.length == 11 || cutBytes.length == 23;
        if (cleanEnd) {
            assertThat(r.read()).isNull();
        } else {
            assertThatThrownBy(r::read).isInstanceOf(FrameReader.TruncatedFrameException.class);
        }
    }

    /** Simulates a pipe that delivers one byte per read call. */
    static final class OneByteAtATime extends FilterInputStream {
        OneByteAtATime(InputStream in) {
            super(in);
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return super.read(b, off, Math.min(1, len));
        }
    }
}
