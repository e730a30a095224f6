package io.llmcp.proxy;

import static io.llmcp.proxy.PollingWindow.MAX_PAUSE_NANOS;
import static io.llmcp.proxy.PollingWindow.MIN_PAUSE_NANOS;
import static io.llmcp.proxy.PollingWindow.PREEMPTED_NANOS;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PollingWindowTest {
    static final long US = 1_000;

    @Test
    void pollsForTheBudgetThatFitsWhatIsDueAndNotAtAllWhenItIsZero() {
        PollingWindow w = new PollingWindow(ProxySpin.ofMicros(100, 30), 0);
        assertThat(w.open(0, true)).isTrue();
        assertThat(w.expired(100 * US)).isFalse();
        assertThat(w.expired(100 * US + 1)).isTrue();
        assertThat(w.open(1_000 * US, false)).isTrue();
        assertThat(w.expired(1_030 * US)).isFalse();
        assertThat(w.expired(1_031 * US)).isTrue();
        PollingWindow idleOff = new PollingWindow(ProxySpin.ofMicros(100, 0), 0);
        assertThat(idleOff.open(0, true)).isTrue();
        assertThat(idleOff.open(0, false)).isFalse();
        assertThat(new PollingWindow(ProxySpin.OFF, 0).open(0, true)).isFalse();
    }

    @Test
    void aPreemptedTurnPausesPollingForLongerEachTimeUntilAQuietSpell() {
        PollingWindow w = new PollingWindow(ProxySpin.ofMicros(100, 100), 0);
        long now = 0;
        assertThat(w.preempted(now, now + PREEMPTED_NANOS)).isFalse();
        long expected = MIN_PAUSE_NANOS;
        for (int i = 0; i < 12; i++) {
            assertThat(w.preempted(now, now + PREEMPTED_NANOS + 1)).isTrue();
            now += PREEMPTED_NANOS + 1;
            if (i > 0) expected = Math.min(MAX_PAUSE_NANOS, expected * 2);
            assertThat(w.open(now + expected - 1, true)).as("paused %d ns", expected).isFalse();
            assertThat(w.open(now + expected, true)).isTrue();
            now += expected;
        }
        assertThat(expected).isEqualTo(MAX_PAUSE_NANOS);
        for (int i = 0; i < PollingWindow.CLEAN_CATCHES; i++) w.caught();
        assertThat(w.preempted(now, now + PREEMPTED_NANOS + 1)).isTrue();
        now += PREEMPTED_NANOS + 1;
        assertThat(w.open(now + MIN_PAUSE_NANOS, true)).isTrue();
        assertThat(w.pauses()).isEqualTo(13);
    }
}
