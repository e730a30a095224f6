package io.llmcp.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ProgressReporterTest {
    private long now;

    @Test
    void byteUpdatesAreThrottledButEveryStateChangeIsDelivered() {
        FetchTesting.Events events = new FetchTesting.Events();
        ProgressReporter p = new ProgressReporter("onnx/model.onnx", events, () -> now);
        p.total(10_000_000);
        p.state(DownloadState.QUEUED);
        p.state(DownloadState.DOWNLOADING);
        // 10 000 updates over 2 simulated seconds, 5 MB/s
        for (int i = 1; i <= 10_000; i++) {
            now += 200_000; // 0.2 ms
            p.bytes(i * 1000L);
        }
        p.state(DownloadState.VERIFYING);
        p.state(DownloadState.DONE);
        long downloading = events.count(DownloadState.DOWNLOADING);
        assertThat(downloading).isBetween(15L, 22L); // ≤ 10/s over 2 s, plus the state change itself
        assertThat(events.states()).containsExactly(DownloadState.QUEUED, DownloadState.DOWNLOADING, DownloadState.VERIFYING,
                DownloadState.DONE);
        ProgressEvent mid = events.events.stream().filter(e -> e.state() == DownloadState.DOWNLOADING).skip(10).findFirst().orElseThrow();
        assertThat(mid.bytesPerSecond()).isBetween(4_500_000L, 5_500_000L);
        assertThat(mid.etaSeconds()).isBetween(0L, 3L);
        ProgressEvent last = events.events.get(events.events.size() - 1);
        assertThat(last.etaSeconds()).isZero();
        assertThat(last.bytesDone()).isEqualTo(10_000_000);
    }
}
