package io.llmcp.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.TimeUnit;

/**
 * How long the proxy keeps polling instead of sleeping right after traffic (config {@code engine.proxySpinMicros},
 * {@code engine.proxyIdleSpinMicros}). Each hop through the proxy otherwise costs two thread wake-ups; a short
 * poll catches an answer that is only tens of microseconds away without either. The budget restarts with each
 * frame and never runs without traffic, so an idle proxy costs no CPU.
 *
 * @param replyNanos how long to poll while a request is waiting for its answer
 * @param idleNanos  how long to poll once nothing is pending (for the browser's next request)
 */
public record ProxySpin(long replyNanos, long idleNanos) {
    public static final long DEFAULT_REPLY_MICROS = 100;
    public static final long DEFAULT_IDLE_MICROS = 100;
    public static final ProxySpin OFF = new ProxySpin(0, 0);

    public ProxySpin {
        if (replyNanos < 0 || idleNanos < 0) throw new IllegalArgumentException("spin budgets must be >= 0");
    }

    public static ProxySpin ofMicros(long replyMicros, long idleMicros) {
        return new ProxySpin(TimeUnit.MICROSECONDS.toNanos(replyMicros), TimeUnit.MICROSECONDS.toNanos(idleMicros));
    }

    /** From the {@code engine} config section, defaults where a value is missing. */
    public static ProxySpin fromConfig(JsonNode engineSection) {
        long reply = Math.max(0, engineSection.path("proxySpinMicros").asLong(DEFAULT_REPLY_MICROS));
        long idle = engineSection.path("proxyIdleSpinMicros").asLong(reply == 0 ? 0 : DEFAULT_IDLE_MICROS);
        return ofMicros(reply, Math.max(0, idle));
    }

    boolean off() {
        return replyNanos == 0 && idleNanos == 0;
    }
}
