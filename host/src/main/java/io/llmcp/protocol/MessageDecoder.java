package io.llmcp.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Turns one frame into a validated JSON-RPC 2.0 request, or a precise error for the client. */
final class MessageDecoder {
    /** Longest string {@code id} answered with itself; a longer one is refused with {@code id: null}. */
    static final int MAX_ID_CHARS = Json.MAX_ID_CHARS;

    record Request(String method, JsonNode id, JsonNode params) {
    }

    /** The frame is not a usable request; {@link #id} is set when it could be read. */
    static final class BadMessage extends Exception {
        final JsonNode id;
        final RpcException error;

        BadMessage(JsonNode id, RpcException error) {
            super(error.getMessage(), null, false, false);
            this.id = id;
            this.error = error;
        }
    }

    Request decode(byte[] frame) throws BadMessage {
        if (frame.length == 0) {
            throw new BadMessage(null, new RpcException(ErrorCodes.PARSE_ERROR, "parse error: the frame is empty"));
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(frame)).toString();
        } catch (CharacterCodingException e) {
            throw new BadMessage(null, new RpcException(ErrorCodes.PARSE_ERROR, "parse error: frame is not valid UTF-8"));
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (Exception e) {
            String limit = Json.limitProblem(e);
            if (limit != null) throw new BadMessage(null, new RpcException(ErrorCodes.INVALID_REQUEST, "invalid request: " + limit));
            throw new BadMessage(null, new RpcException(ErrorCodes.PARSE_ERROR, "parse error: frame is not valid JSON"));
        }
        if (root == null || !root.isObject()) {
            throw new BadMessage(null, new RpcException(ErrorCodes.INVALID_REQUEST,
                    "invalid request: a message must be a JSON object (batches are not supported)"));
        }
        JsonNode id = root.get("id");
        if (id != null && !(id.isTextual() || id.isIntegralNumber() || id.isNull())) {
            throw new BadMessage(NullNode.instance, new RpcException(ErrorCodes.INVALID_REQUEST, "invalid request: 'id' must be a string or an integer"));
        }
        if (id != null && id.isIntegralNumber() && !id.canConvertToLong()) {
            throw new BadMessage(NullNode.instance, new RpcException(ErrorCodes.INVALID_REQUEST, "invalid request: an integer 'id' must fit in 64 bits"));
        }
        if (id != null && id.isTextual() && id.asText().length() > MAX_ID_CHARS) {
            throw new BadMessage(NullNode.instance, new RpcException(ErrorCodes.INVALID_REQUEST,
                    "invalid request: 'id' is longer than " + MAX_ID_CHARS + " characters (" + id.asText().length() + ")"));
        }
        // "id": null is a request (JSON-RPC 2.0: only a missing id makes a notification): it is answered with id null.
        JsonNode version = root.get("jsonrpc");
        if (version == null || !"2.0".equals(version.asText(null))) {
            throw new BadMessage(id, new RpcException(ErrorCodes.INVALID_REQUEST, "invalid request: 'jsonrpc' must be \"2.0\""));
        }
        JsonNode method = root.get("method");
        if (method == null || !method.isTextual() || method.asText().isEmpty()) {
            throw new BadMessage(id, new RpcException(ErrorCodes.INVALID_REQUEST, "invalid request: 'method' must be a non-empty string"));
        }
        JsonNode params = root.get("params");
        if (params != null && !params.isNull() && !params.isObject()) {
            throw new BadMessage(id, RpcException.invalidParams("params", "must be an object"));
        }
        return new Request(method.asText(), id, params);
    }
}
