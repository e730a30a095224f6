package io.llmcp.fetch;

import io.llmcp.failure.DomainException;
import io.llmcp.failure.Details;
import io.llmcp.failure.Failure;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import okhttp3.HttpUrl;

/**
 * Which URLs the host fetches: https anywhere; plain http only to this machine (tests, local mirrors) or to a
 * host the user named in {@code fetch.allowHttpHosts}. Applied to the first URL and to every redirect hop,
 * because a redirect to http would otherwise undo the rule.
 */
public final class UrlPolicy {
    private final Set<String> allowHttpHosts;
    private final boolean allowLoopbackHttp;

    public UrlPolicy(Set<String> allowHttpHosts) {
        this(allowHttpHosts, true);
    }

    /** {@code allowLoopbackHttp} false only in tests, to see a redirect hop refused without leaving the machine. */
    UrlPolicy(Set<String> allowHttpHosts, boolean allowLoopbackHttp) {
        this.allowHttpHosts = allowHttpHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        this.allowLoopbackHttp = allowLoopbackHttp;
    }

    public static UrlPolicy strict() {
        return new UrlPolicy(Set.of());
    }

    /** Parses and checks {@code url}; URL_REFUSED says why not. */
    public HttpUrl check(String url) {
        if (url == null || url.isBlank()) throw refused(url, "is empty");
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("https://") && !lower.startsWith("http://")) throw refused(url, "is not an http(s) URL");
        HttpUrl parsed = HttpUrl.parse(url);
        if (parsed == null) throw refused(url, "is not a valid URL");
        return check(parsed);
    }

    public HttpUrl check(HttpUrl url) {
        if (url.isHttps()) return url;
        if ((allowLoopbackHttp && isLoopback(url.host())) || allowHttpHosts.contains(url.host().toLowerCase(Locale.ROOT))) return url;
        throw refused(url.toString(), "uses plain http to a host that is not this machine (use https, or add the host to fetch.allowHttpHosts)");
    }

    public boolean allows(HttpUrl url) {
        try {
            check(url);
            return true;
        } catch (DomainException e) {
            return false;
        }
    }

    /** Loopback by its literal name only: resolving DNS here would let a hostile name point at anything. */
    static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.equals("localhost") || h.equals("::1") || h.equals("[::1]") || h.equals("0:0:0:0:0:0:0:1")) return true;
        String[] parts = h.split("\\.", -1);
        if (parts.length != 4 || !parts[0].equals("127")) return false;
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit) || Integer.parseInt(p) > 255) return false;
        }
        return true;
    }

    private static FetchException refused(String url, String problem) {
        return new FetchException(Failure.URL_REFUSED, "URL '" + url + "' " + problem, Details.of("url", url));
    }
}
