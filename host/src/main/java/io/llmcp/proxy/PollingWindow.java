package io.llmcp.proxy;

/**
 * When the proxy's main thread polls instead of sleeping: for a {@link ProxySpin} budget after each frame
 * (the reply budget while an answer is due, the idle one otherwise), and not at all for a while after it
 * found itself preempted — on a busy machine a spinning thread loses its CPU to other work and then
 * delivers late, which is worse than sleeping. The pause doubles each time preemption comes back soon
 * (fewer than {@link #CLEAN_CATCHES} frames caught in between), so a proxy on a loaded machine soon only
 * sleeps; a quieter spell resets it. Used by one thread only.
 */
final class PollingWindow {
    /**
     * A turn of the polling loop takes a few µs, or up to a few hundred when its yield lets the exchange's own
     * short-lived threads (the engine's, the browser's) run; a longer gap means a CPU-bound task had a time
     * slice (the scheduler's are ≥ 0.75 ms). 100 and 250 µs measured worse: they paused polling on a quiet box.
     */
    static final long PREEMPTED_NANOS = 500_000;
    static final long MIN_PAUSE_NANOS = 50_000_000;
    static final long MAX_PAUSE_NANOS = 2_000_000_000;
    static final long CLEAN_CATCHES = 500;

    private final ProxySpin spin;
    private long until;
    private long pausedUntil;
    private long pause;
    private long catchesSincePreempted;
    private long pauses;

    PollingWindow(ProxySpin spin, long now) {
        this.spin = spin;
        this.pausedUntil = now;
    }

    /** A frame went either way at {@code now}: whether to poll from here on, and (if so) till when. */
    boolean open(long now, boolean answerDue) {
        long budget = answerDue ? spin.replyNanos() : spin.idleNanos();
        if (budget == 0 || now - pausedUntil < 0) return false;
        until = now + budget;
        return true;
    }

    boolean expired(long now) {
        return now - until > 0;
    }

    /**
     * Whether the turn that started at {@code turnStart} was preempted; if so polling pauses (see the class
     * comment) and the caller should sleep.
     */
    boolean preempted(long turnStart, long now) {
        if (now - turnStart <= PREEMPTED_NANOS) return false;
        boolean again = pause > 0 && catchesSincePreempted < CLEAN_CATCHES;
        pause = again ? Math.min(MAX_PAUSE_NANOS, pause * 2) : MIN_PAUSE_NANOS;
        catchesSincePreempted = 0;
        pausedUntil = now + pause;
        pauses++;
        return true;
    }

    /** Polling caught a frame (it saved a wake-up). */
    void caught() {
        catchesSincePreempted++;
    }

    /** How often polling paused for a busy CPU. */
    long pauses() {
        return pauses;
    }
}
