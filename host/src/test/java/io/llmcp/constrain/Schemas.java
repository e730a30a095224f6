package io.llmcp.constrain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;

/** Schemas the property tests run over. */
public final class Schemas {
    private static final ObjectMapper JSON = new ObjectMapper();

    private Schemas() {
    }

    public static List<JsonNode> all() {
        return List.of(
                parse("{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"},\"age\":{\"type\":\"integer\"},"
                        + "\"admin\":{\"type\":\"boolean\"}},\"required\":[\"name\",\"age\"]}"),
                parse("{\"type\":\"array\",\"items\":{\"type\":\"number\"},\"minItems\":1,\"maxItems\":4}"),
                parse("{\"type\":\"object\",\"properties\":{\"rating\":{\"enum\":[\"good\",\"bad\",\"meh\"]},"
                        + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\",\"maxLength\":6},\"maxItems\":3},"
                        + "\"note\":{\"type\":[\"string\",\"null\"]}},\"required\":[\"rating\",\"tags\",\"note\"]}"),
                parse("{\"type\":\"boolean\"}"),
                parse("{\"type\":\"object\",\"properties\":{\"kind\":{\"const\":\"point\"},\"x\":{\"type\":\"number\"},"
                        + "\"y\":{\"type\":\"number\"},\"label\":{\"type\":\"string\"}},\"required\":[\"kind\",\"x\",\"y\"]}"),
                parse("{\"$defs\":{\"node\":{\"type\":\"object\",\"properties\":{\"v\":{\"type\":\"integer\"},"
                        + "\"kids\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/node\"},\"maxItems\":2}},"
                        + "\"required\":[\"v\"]}},\"$ref\":\"#/$defs/node\"}"),
                parse("{\"anyOf\":[{\"type\":\"integer\"},{\"type\":\"array\",\"items\":{\"type\":\"null\"}}]}"),
                parse("{\"type\":\"string\",\"minLength\":3}"));
    }

    public static JsonNode parse(String s) {
        try {
            return JSON.readTree(s);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
