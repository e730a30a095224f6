package io.llmcp.tooling.testmodel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class ProtoMessageTest {
    private static byte[] bytes(ProtoMessage m) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        m.writeTo(out);
        return out.toByteArray();
    }

    @Test
    void encodesTheProtobufWireFormat() throws Exception {
        // field 1 varint 300 -> 08 AC 02; field 2 string "hi" -> 12 02 68 69; field 3 float 1.0 -> 1D 00 00 80 3F
        ProtoMessage m = new ProtoMessage().varint(1, 300).string(2, "hi").float32(3, 1.0f);
        assertThat(bytes(m)).containsExactly(0x08, 0xAC, 0x02, 0x12, 0x02, 0x68, 0x69, 0x1D, 0x00, 0x00, 0x80, 0x3F);
        // nested message in field 7 and packed int64 [1, -1] in field 8 (-1 is ten bytes as int64)
        ProtoMessage outer = new ProtoMessage().message(7, new ProtoMessage().varint(1, 5)).packedInt64(8, new long[]{1, -1});
        byte[] b = bytes(outer);
        assertThat(b).startsWith(0x3A, 0x02, 0x08, 0x05, 0x42, 11, 0x01);
        assertThat(b).hasSize((int) outer.size());
    }

    @Test
    void aPayloadThatBreaksItsAnnouncedLengthIsCaught() {
        ProtoMessage m = new ProtoMessage().lazyBytes(9, 4, out -> out.write(new byte[3]));
        assertThatThrownBy(() -> bytes(m)).hasMessageContaining("announced 4 bytes but wrote 3");
    }

    @Property(tries = 500)
    void sizeMatchesWhatIsWritten(@ForAll long value, @ForAll String text) throws Exception {
        ProtoMessage m = new ProtoMessage().varint(3, value).string(15, text).message(2000, new ProtoMessage().varint(1, value));
        assertThat(bytes(m)).hasSize((int) m.size());
        assertThat(ProtoMessage.varintSize(value)).isBetween(1, 10);
    }
}
