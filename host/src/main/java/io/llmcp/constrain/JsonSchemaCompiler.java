package io.llmcp.constrain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compiles a JSON Schema into a {@link Grammar.Node}. Supported: {@code type} (object, array, string, number,
 * integer, boolean, null, or an array of them), {@code properties} + {@code required} (properties are written in
 * the schema's order; additional properties are never generated), {@code enum}, {@code const}, {@code items},
 * {@code minItems}/{@code maxItems}, {@code minLength}/{@code maxLength}, {@code anyOf}/{@code oneOf}, and local
 * {@code $ref}s to {@code #/$defs/...} or {@code #/definitions/...}. An empty schema means any string, number,
 * boolean or null. Unknown keywords such as {@code minimum} or {@code pattern} are refused ({@link SchemaException},
 * which the method layer answers as invalid params), so a page never believes a constraint holds when it does not.
 */
public final class JsonSchemaCompiler {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> IGNORED = Set.of("$schema", "$id", "title", "description", "default", "examples",
            "$comment", "additionalProperties", "$defs", "definitions", "format", "readOnly", "writeOnly", "deprecated");
    private static final Set<String> KNOWN = Set.of("type", "properties", "required", "enum", "const", "items",
            "minItems", "maxItems", "minLength", "maxLength", "anyOf", "oneOf", "$ref");

    private final JsonNode root;
    private final String field;
    private final Map<String, CompositeNodes.RefNode> refs = new HashMap<>();

    private JsonSchemaCompiler(JsonNode root, String field) {
        this.root = root;
        this.field = field;
    }

    /** {@code field} names the parameter in error messages (e.g. {@code responseConstraint}). */
    public static Grammar.Node compile(JsonNode schema, String field) {
        JsonSchemaCompiler c = new JsonSchemaCompiler(schema, field);
        Grammar.Node node = c.node(schema, "");
        for (Map.Entry<String, CompositeNodes.RefNode> e : c.refs.entrySet()) {
            if (e.getValue().target == null) throw c.invalid("", "$ref " + e.getKey() + " cannot be resolved");
        }
        node.minLen();
        return node;
    }

    private SchemaException invalid(String path, String message) {
        return new SchemaException(field, (path.isEmpty() ? "" : "at " + path + ": ") + message);
    }

    private Grammar.Node node(JsonNode s, String path) {
        if (s.isBoolean()) {
            if (!s.asBoolean()) throw invalid(path, "the schema 'false' accepts nothing");
            return anyScalar();
        }
        if (!s.isObject()) throw invalid(path, "a schema must be an object");
        for (Iterator<String> it = s.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!KNOWN.contains(k) && !IGNORED.contains(k)) throw invalid(path, "the keyword '" + k + "' is not supported");
        }
        JsonNode ap = s.get("additionalProperties");
        if (ap != null && !(ap.isBoolean() || ap.isObject())) throw invalid(path, "additionalProperties must be a boolean or a schema");
        if (s.has("$ref")) return ref(s.get("$ref").asText(), path);
        if (s.has("const")) return new ScalarNodes.LiteralNode(List.of(write(s.get("const"))));
        if (s.has("enum")) {
            JsonNode e = s.get("enum");
            if (!e.isArray() || e.isEmpty()) throw invalid(path, "enum must be a non-empty array");
            List<String> values = new ArrayList<>();
            for (JsonNode v : e) values.add(write(v));
            return new ScalarNodes.LiteralNode(values);
        }
        for (String k : new String[]{"anyOf", "oneOf"}) {
            if (s.has(k)) {
                JsonNode a = s.get(k);
                if (!a.isArray() || a.isEmpty()) throw invalid(path, k + " must be a non-empty array");
                List<Grammar.Node> options = new ArrayList<>();
                for (int i = 0; i < a.size(); i++) options.add(node(a.get(i), path + "/" + k + "/" + i));
                return options.size() == 1 ? options.get(0) : new CompositeNodes.UnionNode(options);
            }
        }
        JsonNode type = s.get("type");
        if (type == null) {
            if (s.has("properties")) return object(s, path);
            if (s.has("items")) return array(s, path);
            return anyScalar();
        }
        if (type.isArray()) {
            List<Grammar.Node> options = new ArrayList<>();
            for (JsonNode t : type) options.add(typed(s, t.asText(), path));
            if (options.isEmpty()) throw invalid(path, "type must not be an empty array");
            return options.size() == 1 ? options.get(0) : new CompositeNodes.UnionNode(options);
        }
        return typed(s, type.asText(), path);
    }

    private Grammar.Node typed(JsonNode s, String type, String path) {
        return switch (type) {
            case "object" -> object(s, path);
            case "array" -> array(s, path);
            case "string" -> new ScalarNodes.StringNode(count(s, "minLength", 0, path), count(s, "maxLength", Integer.MAX_VALUE, path));
            case "number" -> new ScalarNodes.NumberNode(false);
            case "integer" -> new ScalarNodes.NumberNode(true);
            case "boolean" -> new ScalarNodes.LiteralNode(List.of("true", "false"));
            case "null" -> new ScalarNodes.LiteralNode(List.of("null"));
            default -> throw invalid(path, "unknown type '" + type + "'");
        };
    }

    private Grammar.Node object(JsonNode s, String path) {
        CompositeNodes.ObjectNode o = new CompositeNodes.ObjectNode();
        Set<String> required = new HashSet<>();
        JsonNode r = s.get("required");
        if (r != null) {
            if (!r.isArray()) throw invalid(path, "required must be an array of names");
            for (JsonNode n : r) required.add(n.asText());
        }
        JsonNode props = s.get("properties");
        Set<String> declared = new HashSet<>();
        if (props != null) {
            if (!props.isObject()) throw invalid(path, "properties must be an object");
            for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                declared.add(e.getKey());
                o.properties.add(new CompositeNodes.Property(write(JSON.getNodeFactory().textNode(e.getKey())) + ":",
                        node(e.getValue(), path + "/properties/" + e.getKey()), required.contains(e.getKey())));
            }
        }
        for (String name : required) {
            if (!declared.contains(name)) throw invalid(path, "required property '" + name + "' has no schema in properties");
        }
        return o;
    }

    private Grammar.Node array(JsonNode s, String path) {
        JsonNode items = s.get("items");
        Grammar.Node item = items == null ? anyScalar() : node(items, path + "/items");
        int min = count(s, "minItems", 0, path);
        int max = count(s, "maxItems", Integer.MAX_VALUE, path);
        if (max < min) throw invalid(path, "maxItems is below minItems");
        return new CompositeNodes.ArrayNode(item, min, max);
    }

    private int count(JsonNode s, String key, int dflt, String path) {
        JsonNode v = s.get(key);
        if (v == null) return dflt;
        if (!v.canConvertToInt() || v.asInt() < 0) throw invalid(path, key + " must be a non-negative integer");
        return v.asInt();
    }

    private Grammar.Node ref(String ref, String path) {
        String name;
        JsonNode target;
        if (ref.equals("#")) {
            name = "#";
            target = root;
        } else if (ref.startsWith("#/$defs/") || ref.startsWith("#/definitions/")) {
            name = ref;
            String[] parts = ref.substring(2).split("/", 2);
            JsonNode defs = root.get(parts[0]);
            target = defs == null ? null : defs.get(parts[1].replace("~1", "/").replace("~0", "~"));
        } else {
            throw invalid(path, "only local $refs (#/$defs/NAME) are supported");
        }
        if (target == null) throw invalid(path, "$ref " + ref + " cannot be resolved");
        CompositeNodes.RefNode node = refs.get(name);
        if (node != null) return node;
        node = new CompositeNodes.RefNode();
        refs.put(name, node);
        node.target = node(target, ref);
        return node;
    }

    private static Grammar.Node anyScalar() {
        return new CompositeNodes.UnionNode(List.of(new ScalarNodes.StringNode(0, Integer.MAX_VALUE), new ScalarNodes.NumberNode(false),
                new ScalarNodes.LiteralNode(List.of("true", "false", "null"))));
    }

    private static String write(JsonNode v) {
        try {
            return JSON.writeValueAsString(v);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
