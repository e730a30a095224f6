package io.llmcp.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link FrameReader#frameReady()}: a look that never consumes and never waits. */
class FrameReadyTest {
    static byte[] wire(String... bodies) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter w = new FrameWriter(out, FrameReader.DEFAULT_MAX_FRAME_BYTES, ByteOrder.nativeOrder());
        for (String b : bodies) w.write(b.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Test
    void aWholeFrameIsReadyAndReadingItAfterwardsGetsAllOfIt() throws Exception {
        FrameReader r = new FrameReader(new BufferedInputStream(new ByteArrayInputStream(wire("{\"a\":1}", "{}"))));
        assertThat(r.frameReady()).isTrue();
        assertThat(r.frameReady()).isTrue();
        assertThat(new String(r.read(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
        assertThat(r.frameReady()).isTrue();
        assertThat(new String(r.read(), StandardCharsets.UTF_8)).isEqualTo("{}");
        assertThat(r.frameReady()).isFalse();
        assertThat(r.read()).isNull();
    }

    @Test
    void aFrameWhoseBodyHasNotArrivedIsNotReady() throws Exception {
        byte[] whole = wire("{\"hello\":\"world\"}");
        for (int cut = 0; cut < whole.length; cut++) {
            FrameReader r = new FrameReader(new BufferedInputStream(new ByteArrayInputStream(Arrays.copyOf(whole, cut))));
            assertThat(r.frameReady()).as("first %d bytes", cut).isFalse();
        }
    }

    @Test
    void aStreamThatCannotPeekIsNeverReady() throws Exception {
        InputStream noMark = new ByteArrayInputStream(wire("{}")) {
            @Override
            public boolean markSupported() {
                return false;
            }
        };
        FrameReader r = new FrameReader(noMark);
        assertThat(r.frameReady()).isFalse();
        assertThat(new String(r.read(), StandardCharsets.UTF_8)).isEqualTo("{}");
    }
}
