package io.llmcp.fetch;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;

/**
 * Adds {@code Authorization: Bearer <token>} to a request only when its host is one the user named. It is a
 * network interceptor, so it sees every redirect hop on its own: Hugging Face answers a gated LFS file with a
 * redirect to a CDN host, and that hop goes out without the token (any header a caller set is removed too).
 */
final class AuthInterceptor implements Interceptor {
    /** Replaced while the host runs (the panel's token field): the next request uses the new one. */
    private volatile String token;
    private final List<String> hosts;

    AuthInterceptor(String token, List<String> hosts) {
        this.token = token;
        this.hosts = hosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
    }

    void setToken(String token) {
        this.token = token;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        Request.Builder b = request.newBuilder().removeHeader("Authorization");
        String t = token;
        if (t != null && matches(request.url())) b.header("Authorization", "Bearer " + t);
        return chain.proceed(b.build());
    }

    /** {@code host} matches that host on the scheme's default port; {@code host:port} matches exactly. */
    boolean matches(HttpUrl url) {
        String host = url.host().toLowerCase(Locale.ROOT);
        for (String h : hosts) {
            int colon = h.lastIndexOf(':');
            if (colon > 0 && !h.endsWith("]") && h.indexOf(':') == colon) {
                if (h.substring(0, colon).equals(host) && h.substring(colon + 1).equals(String.valueOf(url.port()))) return true;
            } else if (h.equals(host) && url.port() == HttpUrl.defaultPort(url.scheme())) {
                return true;
            }
        }
        return false;
    }
}
