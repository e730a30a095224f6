package io.llmcp.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A notification for every client: each one goes to whoever {@code recipients} names at that moment, from one thread
 * of its own and in order. The work that caused it (a delete, a pull's last commit) never waits for a client whose
 * outgoing queue is full because it stopped reading.
 */
public final class Broadcaster implements NotificationSink, AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Broadcaster.class);

    private final Supplier<? extends Collection<? extends NotificationSink>> recipients;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "broadcast");
        t.setDaemon(true);
        return t;
    });

    public Broadcaster(Supplier<? extends Collection<? extends NotificationSink>> recipients) {
        this.recipients = recipients;
    }

    @Override
    public void notify(String method, ObjectNode params) {
        try {
            thread.execute(() -> {
                for (NotificationSink sink : recipients.get()) {
                    // each connection's writer may cut strings of what it sends: every one gets its own copy
                    if (sink.isOpen()) sink.notify(method, params.deepCopy());
                }
            });
        } catch (RejectedExecutionException e) {
            log.debug("not broadcasting {}: closing", method);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
