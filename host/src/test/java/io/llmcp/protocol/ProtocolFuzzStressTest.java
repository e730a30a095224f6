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
 * {@link ProtocolFuzzTest}, longer: only in {@code mvn -Pstress verify} (the normal build excludes
 * {@code *StressTest}). Its tries come from jqwik's default, which the profile sets from the Maven property
 * {@code fuzz.tries} (default 1500, about 24,000 frames): {@code mvn -Pstress -Dfuzz.tries=4000 verify}.
 */
class ProtocolFuzzStressTest {
    @Provide
    Arbitrary<List<ProtocolFuzz.Frame>> streams() {
        return ProtocolFuzz.streams(50);
    }

    @Property(shrinking = ShrinkingMode.BOUNDED)
    void everyFrameGetsTheAnswersItDeserves(@ForAll("streams") List<ProtocolFuzz.Frame> stream) throws Exception {
        ProtocolFuzz.check(stream);
    }

    @BeforeContainer
    static void reset() {
        ProtocolFuzz.reset();
    }

    @AfterContainer
    static void report() {
        System.out.println(ProtocolFuzz.report("protocol fuzz (stress)"));
    }
}
