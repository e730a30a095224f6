package io.llmcp.methods;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.fetch.DownloadState;
import io.llmcp.fetch.ProgressEvent;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.fetch.FetchException;
import io.llmcp.failure.Failure;
import org.junit.jupiter.api.Test;

class ProgressNotificationsTest {
    @Test
    void notificationBodyMatchesTheProtocol() {
        ProgressEvent e = new ProgressEvent("onnx/model.onnx", DownloadState.FAILED, 5, 10, 3, 2,
                new FetchException(Failure.REMOTE_NOT_FOUND, "not found"));
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
