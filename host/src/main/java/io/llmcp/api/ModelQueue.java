package io.llmcp.api;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bounded queue per model: at most {@code parallel} requests of one model run at once, at most {@code queue}
 * more wait for a turn, and one beyond that is refused at once (503) rather than piling up.
 */
final class ModelQueue {
    private final int parallel;
    private final int queue;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();

    ModelQueue(int parallel, int queue) {
        this.parallel = parallel;
        this.queue = queue;
    }

    private final class Lane {
        final Semaphore running = new Semaphore(parallel, true);
        final AtomicInteger admitted = new AtomicInteger();
    }

    /** A turn for one request: close it when the request ends. */
    interface Turn extends AutoCloseable {
        @Override
        void close();
    }

    /** Waits for a turn; refuses with 503 when {@code parallel + queue} requests of this model are already in. */
    Turn enter(String modelId) throws InterruptedException {
        Lane lane = lanes.computeIfAbsent(modelId, k -> new Lane());
        if (lane.admitted.incrementAndGet() > parallel + queue) {
            lane.admitted.decrementAndGet();
            throw new HttpCall.Refusal(503, "server_busy", "too many requests for model " + modelId + ": "
                    + parallel + " running and " + queue + " waiting (api.parallel, api.queue); retry later");
        }
        try {
            lane.running.acquire();
        } catch (InterruptedException e) {
            lane.admitted.decrementAndGet();
            throw e;
        }
        return () -> {
            lane.running.release();
            lane.admitted.decrementAndGet();
        };
    }

    int waiting() {
        int n = 0;
        for (Lane l : lanes.values()) n += Math.max(0, l.admitted.get() - parallel);
        return n;
    }
}
