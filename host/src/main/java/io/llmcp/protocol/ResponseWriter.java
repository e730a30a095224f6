package io.llmcp.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serialises responses and notifications and keeps every frame under the writer's cap. A result too big
 * for one frame is sent as {@code rpc.resultPart} notifications (base64 slices of its UTF-8 JSON, so
 * escaping can never push a slice over the cap) followed by a response whose result is {@code {"$parts": n}}.
 */
final class ResponseWriter {
    private static final Logger log = LoggerFactory.getLogger(ResponseWriter.class);
    /** Room left in each frame for the envelope around a part. */
    private static final int ENVELOPE_ROOM = 4096;

    private final FrameWriter writer;

    ResponseWriter(FrameWriter writer) {
        this.writer = writer;
    }

    void result(JsonNode id, JsonNode result) {
        ObjectNode msg = envelope(id);
        msg.set("result", result == null ? Json.object() : result);
        byte[] bytes = serialise(msg);
        if (bytes.length <= writer.maxFrameBytes()) {
            send(bytes);
        } else {
            sendInParts(id, serialise(result));
        }
    }

    void error(JsonNode id, RpcException e) {
        ObjectNode msg = envelope(id);
        ObjectNode err = msg.putObject("error");
        err.put("code", e.code());
        err.put("message", e.getMessage() == null ? "error" : e.getMessage());
        if (e.data() != null) err.set("data", e.data());
        send(serialise(msg));
    }

    void notification(String method, ObjectNode params) {
        ObjectNode msg = Json.object().put("jsonrpc", "2.0").put("method", method);
        msg.set("params", params);
        byte[] bytes = serialise(msg);
        if (bytes.length > writer.maxFrameBytes()) {
            log.error("dropped notification {} of {} bytes: over the frame cap", method, bytes.length);
            return;
        }
        send(bytes);
    }

    private void sendInParts(JsonNode id, byte[] resultJson) {
        int slice = (writer.maxFrameBytes() - ENVELOPE_ROOM) / 4 * 3;
        int parts = (resultJson.length + slice - 1) / slice;
        for (int i = 0; i < parts; i++) {
            int from = i * slice;
            int to = Math.min(resultJson.length, from + slice);
            byte[] piece = java.util.Arrays.copyOfRange(resultJson, from, to);
            ObjectNode p = Json.object();
            p.set("requestId", id);
            p.put("index", i).put("count", parts).put("data", Base64.getEncoder().encodeToString(piece));
            notification("rpc.resultPart", p);
        }
        ObjectNode msg = envelope(id);
        msg.putObject("result").put("$parts", parts);
        send(serialise(msg));
    }

    private static ObjectNode envelope(JsonNode id) {
        ObjectNode msg = Json.object().put("jsonrpc", "2.0");
        msg.set("id", id == null ? com.fasterxml.jackson.databind.node.NullNode.instance : id);
        return msg;
    }

    private static byte[] serialise(JsonNode node) {
        try {
            return Json.MAPPER.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialise a JSON tree", e);
        }
    }

    private void send(byte[] bytes) {
        try {
            writer.write(bytes);
        } catch (IOException e) {
            log.debug("write failed: {}", e.toString());
        }
    }
}
