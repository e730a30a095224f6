package io.llmcp.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The product and protocol versions, from the build. */
public final class Version {
    /** Bumped when a method or notification changes incompatibly. */
    public static final String PROTOCOL = "1.0";
    public static final String PRODUCT = load();

    private Version() {
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("/llmcp-version.properties")) {
            if (in == null) return "dev";
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version", "dev");
            return v.startsWith("${") ? "dev" : v;
        } catch (IOException e) {
            return "dev";
        }
    }
}
