package io.llmcp.inference;

import static io.llmcp.Coded.coded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.llmcp.failure.Failure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SessionCacheTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final List<String> closed = new ArrayList<>();

    final class Fake implements SessionCache.Loaded {
        final String id;
        final long bytes;

        Fake(String id, long bytes) {
            this.id = id;
            this.bytes = bytes;
        }

        @Override
        public String provider() {
            return "CPU";
        }

        @Override
        public long bytes() {
            return bytes;
        }

        @Override
        public void close() {
            synchronized (closed) {
                closed.add(id);
            }
        }
    }

    private SessionCache cache(long budget) {
        return new SessionCache(budget, Duration.ofMinutes(5), now::get, null);
    }

    private SessionCache.Lease<Fake> acquire(SessionCache c, String id, long bytes, Duration keepAlive) {
        return c.acquire(id, Fake.class, bytes, keepAlive, () -> new Fake(id, bytes));
    }

    private void advance(Duration d) {
        now.addAndGet(d.toNanos());
    }

    @Test
    void keepsModelForKeepAliveThenReaps() {
        SessionCache c = cache(0);
        AtomicInteger loads = new AtomicInteger();
        for (int i = 0; i < 3; i++) {
            try (var lease = c.acquire("a", Fake.class, 10, null, () -> {
                loads.incrementAndGet();
                return new Fake("a", 10);
            })) {
                assertThat(lease.get().id).isEqualTo("a");
            }
        }
        assertThat(loads).hasValue(1);
        advance(Duration.ofMinutes(4));
        assertThat(c.reap()).isZero();
        assertThat(c.isLoaded("a")).isTrue();
        assertThat(c.list()).singleElement().satisfies(i -> {
            assertThat(i.keepAliveSeconds()).isEqualTo(300);
            assertThat(i.inUse()).isFalse();
        });
        advance(Duration.ofMinutes(1));
        assertThat(c.reap()).isEqualTo(1);
        assertThat(c.isLoaded("a")).isFalse();
        assertThat(closed).containsExactly("a");
    }

    @Test
    void perRequestKeepAliveZeroUnloadsAfterTheRequestAndNegativeKeepsForever() {
        SessionCache c = cache(0);
        acquire(c, "zero", 1, Duration.ZERO).close();
        assertThat(c.isLoaded("zero")).isFalse();
        assertThat(closed).containsExactly("zero");

        acquire(c, "forever", 1, Duration.ofSeconds(-1)).close();
        advance(Duration.ofDays(30));
        assertThat(c.reap()).isZero();
        assertThat(c.list()).singleElement().satisfies(i -> assertThat(i.keepAliveSeconds()).isEqualTo(-1));
    }

    @Test
    void inUseModelIsNeverReapedOrEvicted() {
        SessionCache c = cache(100);
        var lease = acquire(c, "busy", 80, Duration.ZERO);
        advance(Duration.ofHours(1));
        assertThat(c.reap()).isZero();
        assertThat(c.inUse("busy")).isTrue();
        // A second model over the budget: the busy one stays; the new one loads anyway.
        try (var other = acquire(c, "other", 80, null)) {
            assertThat(c.isLoaded("busy")).isTrue();
            assertThat(other.get().id).isEqualTo("other");
        }
        assertThat(closed).isEmpty();
        lease.close();
        assertThat(c.inUse("busy")).isFalse();
        assertThat(closed).containsExactly("busy"); // keep-alive 0: gone when its request ended
    }

    @Test
    void evictsLeastRecentlyUsedUnderTheBudget() throws Exception {
        SessionCache c = cache(100);
        acquire(c, "a", 40, null).close();
        advance(Duration.ofSeconds(1));
        acquire(c, "b", 40, null).close();
        advance(Duration.ofSeconds(1));
        acquire(c, "a", 40, null).close(); // a is now more recent than b
        advance(Duration.ofSeconds(1));
        acquire(c, "c", 40, null).close(); // 120 > 100: b goes
        assertThat(closed).containsExactly("b");
        assertThat(c.isLoaded("a")).isTrue();
        assertThat(c.isLoaded("c")).isTrue();
        acquire(c, "d", 90, null).close(); // needs both a and c gone
        assertThat(closed).containsExactly("b", "a", "c");
        assertThat(c.list()).extracting(SessionCache.Info::modelId).containsExactly("d");
    }

    @Test
    void unloadWaitsForTheLastLease() {
        SessionCache c = cache(0);
        var lease = acquire(c, "m", 1, null);
        assertThat(c.unload("m")).isFalse();
        assertThat(closed).isEmpty();
        lease.close();
        assertThat(closed).containsExactly("m");
        assertThat(c.unload("m")).isFalse();
        acquire(c, "n", 1, null).close();
        assertThat(c.unload("n")).isTrue();
    }

    @Test
    void concurrentRequestsShareOneLoadAndFailedLoadsAreForgotten() throws Exception {
        SessionCache c = cache(0);
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch loading = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread t = new Thread(() -> c.acquire("m", Fake.class, 1, null, () -> {
            loads.incrementAndGet();
            loading.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return new Fake("m", 1);
        }).close());
        t.start();
        loading.await();
        assertThat(c.inUse("m")).isTrue();
        Thread t2 = new Thread(() -> acquire(c, "m", 1, null).close());
        t2.start();
        release.countDown();
        t.join();
        t2.join();
        assertThat(loads).hasValue(1);

        assertThatThrownBy(() -> c.acquire("bad", Fake.class, 1, null, () -> {
            throw new InferenceException(Failure.MODEL_INVALID, "corrupt");
        })).satisfies(coded()).hasMessage("corrupt");
        assertThat(c.isLoaded("bad")).isFalse();
        assertThat(c.inUse("bad")).isFalse();
    }

    @Test
    void backgroundReaperUnloadsExpiredModels() throws Exception {
        try (SessionCache c = new SessionCache(0, Duration.ofMillis(50), Duration.ofMillis(20))) {
            c.acquire("r", Fake.class, 1, null, () -> new Fake("r", 1)).close();
            long deadline = System.currentTimeMillis() + 5000;
            while (c.isLoaded("r") && System.currentTimeMillis() < deadline) Thread.sleep(10);
            assertThat(c.isLoaded("r")).isFalse();
        }
    }
}
