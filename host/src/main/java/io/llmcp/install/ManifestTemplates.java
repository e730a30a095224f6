package io.llmcp.install;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Renders the host manifest from the templates in {@code manifests/} (copied into the jar at build time, so the
 * repository's files are the one source of truth). Rendering works on the parsed JSON, never on text, so a
 * Windows path's backslashes or an odd id are escaped by Jackson, not by us.
 */
public final class ManifestTemplates {
    static final String LAUNCHER_PLACEHOLDER = "${LAUNCHER_PATH}";
    static final String ID_PLACEHOLDER = "${EXTENSION_ID}";

    private ManifestTemplates() {
    }

    /** The template's JSON for a browser family, from the classpath. */
    public static ObjectNode template(Browser.Family family) {
        String resource = family == Browser.Family.FIREFOX ? "/manifests/firefox.json" : "/manifests/chrome.json";
        try (InputStream in = ManifestTemplates.class.getResourceAsStream(resource)) {
            if (in == null) throw new IllegalStateException("manifest template " + resource + " is missing from the jar (rebuild it)");
            return (ObjectNode) Json.MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("manifest template " + resource + " is not valid JSON", e);
        }
    }

    /** The field holding the allowed callers: {@code allowed_origins} (Chromium) or {@code allowed_extensions} (Firefox). */
    public static String allowedField(Browser.Family family) {
        return family == Browser.Family.FIREFOX ? "allowed_extensions" : "allowed_origins";
    }

    /** The manifest for {@code family} with {@code path} = the launcher and one allowed entry per id, as file bytes. */
    public static byte[] render(Browser.Family family, Path launcher, List<String> ids) {
        ObjectNode manifest = template(family);
        if (!LAUNCHER_PLACEHOLDER.equals(manifest.path("path").asText())) {
            throw new IllegalStateException("manifest template for " + family + " has no " + LAUNCHER_PLACEHOLDER + " path");
        }
        manifest.put("path", launcher.toAbsolutePath().toString());
        String field = allowedField(family);
        JsonNode entries = manifest.path(field);
        if (entries.size() != 1 || !entries.get(0).asText().contains(ID_PLACEHOLDER)) {
            throw new IllegalStateException("manifest template for " + family + " needs exactly one " + field + " entry with " + ID_PLACEHOLDER);
        }
        String pattern = entries.get(0).asText();
        ArrayNode allowed = manifest.putArray(field);
        for (String id : ids) allowed.add(pattern.replace(ID_PLACEHOLDER, id));
        try {
            String text = Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(manifest) + "\n";
            return text.getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
