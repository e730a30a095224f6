package io.llmcp.proxy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.llmcp.protocol.Json;
import java.io.IOException;

/**
 * What the proxy needs to know about a frame it forwards, read with a streaming parser (no tree is built):
 * its {@code id} and whether it is a request/notification ({@code method}) or a response.
 */
record FrameIds(JsonNode id, boolean hasMethod) {
    static final FrameIds UNKNOWN = new FrameIds(null, false);

    /** A request that expects an answer. */
    boolean isRequest() {
        return id != null && hasMethod;
    }

    /** An answer to a request. */
    boolean isResponse() {
        return id != null && !hasMethod;
    }

    /** The map key for an id: {@code 7} and {@code "7"} are different ids. */
    String key() {
        return id == null ? null : id.toString();
    }

    static FrameIds scan(byte[] frame) {
        try (JsonParser p = Json.MAPPER.getFactory().createParser(frame)) {
            if (p.nextToken() != JsonToken.START_OBJECT) return UNKNOWN;
            JsonNode id = null;
            boolean method = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("id".equals(name)) {
                    if (value == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
                        id = LongNode.valueOf(p.getLongValue());
                    } else if (value == JsonToken.VALUE_STRING && p.getTextLength() <= Json.MAX_ID_CHARS) {
                        // a longer id is refused by the engine with id null: nothing to track or answer by it
                        id = TextNode.valueOf(p.getText());
                    }
                } else if ("method".equals(name)) {
                    method = true;
                }
                p.skipChildren();
            }
            return new FrameIds(id, method);
        } catch (IOException | RuntimeException e) {
            return UNKNOWN;
        }
    }
}
