package io.llmcp.sites;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Web origins as consent is keyed: {@code scheme://host[:port]}, lower-case, default ports left out. A page's
 * URL, an origin typed on the command line and the browser's own {@code location.origin} all come out the same,
 * so a grant given one way is found the other.
 */
public final class Origins {
    private Origins() {
    }

    /** The origin of {@code raw} (an origin or any URL of it); only http and https are sites. */
    public static String normalize(String raw) {
        URI u;
        try {
            u = new URI(raw.trim());
        } catch (URISyntaxException e) {
            throw new InvalidOriginException("is not a URL");
        }
        String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
        String host = u.getHost() == null ? null : u.getHost().toLowerCase(Locale.ROOT);
        if (host == null || !("http".equals(scheme) || "https".equals(scheme))) {
            throw new InvalidOriginException("must be an http(s) origin such as https://example.com");
        }
        int port = u.getPort();
        boolean defaultPort = port == -1 || scheme.equals("http") && port == 80 || scheme.equals("https") && port == 443;
        // URI hands an IPv6 literal back with its brackets; a bare one (rare) gets them so the origin parses again.
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return scheme + "://" + h + (defaultPort ? "" : ":" + port);
    }
}
