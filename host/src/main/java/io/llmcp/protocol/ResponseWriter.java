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
 *
 * <p>Errors and notifications fit by construction too: an error's message is cut to {@link #MAX_MESSAGE_CHARS},
 * and when the frame would still be over the cap the strings in its data (then its data) are shortened;
 * a notification's params likewise. Nothing is dropped for its size. (Ids are at most
 * {@link MessageDecoder#MAX_ID_CHARS} characters: the decoder refuses longer ones.)
 */
final class ResponseWriter {
    private static final Logger log = LoggerFactory.getLogger(ResponseWriter.class);
    /** Room left in each frame for the envelope around a part. */
    private static final int ENVELOPE_ROOM = 4096;
    /** Longest error message sent; longer ones end in "…(N chars)". */
    static final int MAX_MESSAGE_CHARS = 8192;

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
        // Messages are for people: a few KiB is plenty, and this is where an echoed hostile input stops.
        err.put("message", Clip.text(e.getMessage() == null ? "error" : e.getMessage(), MAX_MESSAGE_CHARS));
        if (e.data() != null) err.set("data", e.data());
        byte[] bytes = serialise(msg);
        if (bytes.length > writer.maxFrameBytes() && e.data() != null) {
            // data echoes input (a model id, a key, a URL): shorten every string in it ...
            err.set("data", Clip.strings(e.data(), Clip.ECHO_CHARS));
            bytes = serialise(msg);
            if (bytes.length > writer.maxFrameBytes()) {
                // ... and if it is big for another reason, say so instead of sending it
                err.set("data", Json.object().put("truncated", true).put("bytes", bytes.length));
                bytes = serialise(msg);
            }
            log.warn("shrank the data of a {} error to fit the frame cap", e.code());
        }
        send(bytes);
    }

    void notification(String method, ObjectNode params) {
        ObjectNode msg = Json.object().put("jsonrpc", "2.0").put("method", method);
        msg.set("params", params);
        byte[] bytes = serialise(msg);
        if (bytes.length > writer.maxFrameBytes()) {
            msg.set("params", Clip.strings(params, Clip.ECHO_CHARS));
            bytes = serialise(msg);
            if (bytes.length > writer.maxFrameBytes()) {
                ObjectNode small = Json.object();
                if (params.has("requestId")) small.set("requestId", params.get("requestId"));
                small.put("truncated", true).put("bytes", bytes.length);
                msg.set("params", small);
                bytes = serialise(msg);
            }
            log.warn("shrank a {} notification to fit the frame cap", method);
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
