package io.llmcp.protocol;

import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Thousands of hostile frames through an RpcSession over pipes (docs/RELIABILITY.md, Protocol fuzz): random
 * bytes, truncated JSON, requests with hostile params, notifications, null and malformed ids, deep nesting,
 * empty frames, oversized frames, echoes over the outgoing cap, implausible lengths, wrong byte order, streams
 * cut inside a frame. No crash, no hang, exactly the answers deserved, every host frame under 1 MiB, and the
 * request after them all still answered. The longer run is {@link ProtocolFuzzStressTest} (-Pstress).
 */
class ProtocolFuzzTest {
    @Provide
    Arbitrary<List<ProtocolFuzz.Frame>> streams() {
        return ProtocolFuzz.streams(40);
    }

    @Property(tries = 300, shrinking = ShrinkingMode.BOUNDED)
    void everyFrameGetsTheAnswersItDeserves(@ForAll("streams") List<ProtocolFuzz.Frame> stream) throws Exception {
        ProtocolFuzz.check(stream);
    }

    @BeforeContainer
    static void reset() {
        ProtocolFuzz.reset();
    }

    @AfterContainer
    static void report() {
        System.out.println(ProtocolFuzz.report("protocol fuzz"));
    }
}
