package io.llmcp.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.RpcException;
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

    @Test
    void notificationBodyMatchesTheProtocol() {
        ProgressEvent e = new ProgressEvent("onnx/model.onnx", DownloadState.FAILED, 5, 10, 3, 2,
                new RpcException(ErrorCodes.HTTP_NOT_FOUND, "not found"));
        ObjectNode n = ProgressNotifications.body("qwen", e);
        assertThat(n.path("modelId").asText()).isEqualTo("qwen");
        assertThat(n.path("path").asText()).isEqualTo("onnx/model.onnx");
        assertThat(n.path("state").asText()).isEqualTo("failed");
        assertThat(n.path("bytesDone").asLong()).isEqualTo(5);
        assertThat(n.path("bytesTotal").asLong()).isEqualTo(10);
        assertThat(n.path("bytesPerSecond").asLong()).isEqualTo(3);
        assertThat(n.path("etaSeconds").asLong()).isEqualTo(2);
        assertThat(n.path("error").path("code").asInt()).isEqualTo(ErrorCodes.HTTP_NOT_FOUND);
        assertThat(n.path("error").path("message").asText()).isEqualTo("not found");
        assertThat(ProgressNotifications.body("q", new ProgressEvent("c", DownloadState.LINKED, 1, 1, 0, 0, null)).has("error")).isFalse();
    }
}
