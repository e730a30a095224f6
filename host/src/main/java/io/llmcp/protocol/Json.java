package io.llmcp.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The one Jackson configuration of the host: strict on input, compact on output, and the one place the
 * limits on incoming JSON are set (docs/PROTOCOL.md, Limits). A frame over a limit is answered
 * {@code -32600} naming it ({@link #limitProblem}), not a vague parse error.
 */
public final class Json {
    /** Deepest nesting of arrays and objects accepted in a frame. */
    public static final int MAX_NESTING_DEPTH = 1000;
    /** Longest string (in characters) accepted in a frame, a property name included. */
    public static final int MAX_STRING_CHARS = 20_000_000;
    /** Longest number literal (in characters) accepted in a frame. */
    public static final int MAX_NUMBER_CHARS = 1000;
    /** Longest string {@code id} a request may carry; a longer one is answered -32600 with {@code id: null}. */
    public static final int MAX_ID_CHARS = 1024;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING_DEPTH)
                    .maxStringLength(MAX_STRING_CHARS)
                    .maxNameLength(MAX_STRING_CHARS)
                    .maxNumberLength(MAX_NUMBER_CHARS)
                    .build())
            // Output wraps what came in (a data.get value inside its result envelope): leave room over the input depth.
            .streamWriteConstraints(StreamWriteConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH + 64).build())
            .build();

    public static final ObjectMapper MAPPER = new ObjectMapper(FACTORY)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .setSerializationInclusion(JsonInclude.Include.NON_NULL);

    private Json() {
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    /**
     * When {@code e} (thrown while parsing) is one of the limits above, what to tell the client
     * ("nesting deeper than 1000 levels"); else null.
     */
    static String limitProblem(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof com.fasterxml.jackson.core.exc.StreamConstraintsException) {
                String m = String.valueOf(t.getMessage());
                if (m.contains("Nesting depth") || m.contains("nesting depth")) return "nesting deeper than " + MAX_NESTING_DEPTH + " levels";
                if (m.contains("Number value length") || m.contains("number value length")) return "a number longer than " + MAX_NUMBER_CHARS + " characters";
                if (m.contains("Name length") || m.contains("name length")) return "a property name longer than " + MAX_STRING_CHARS + " characters";
                if (m.contains("String value length") || m.contains("string value length")) return "a string longer than " + MAX_STRING_CHARS + " characters";
                return "over a JSON limit (" + Clip.text(m, 200) + ")";
            }
        }
        return null;
    }
}
