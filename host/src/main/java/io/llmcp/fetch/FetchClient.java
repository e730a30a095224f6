package io.llmcp.fetch;

import okhttp3.OkHttpClient;

/**
 * Builds the one OkHttpClient of the host from small interceptors, one concern each. Application interceptors
 * see a call once (user agent, retries, rate limit); network interceptors see every redirect hop (URL policy,
 * auth), which is what keeps the token off a CDN host and plain http off the wire.
 */
final class FetchClient {
    private FetchClient() {
    }

    static OkHttpClient build(FetchSettings s, UrlPolicy policy, RateLimiter limiter, AuthInterceptor auth) {
        OkHttpClient.Builder b = new OkHttpClient.Builder()
                .connectTimeout(s.connectTimeout())
                .readTimeout(s.readTimeout())
                .writeTimeout(s.readTimeout())
                .followRedirects(true)
                .followSslRedirects(true)
                .retryOnConnectionFailure(true)
                .addInterceptor(new UserAgentInterceptor(s.userAgent()))
                .addInterceptor(new RetryInterceptor(s.maxRetries(), s.retryBaseDelay()));
        if (limiter != null) b.addInterceptor(new RateLimitInterceptor(limiter));
        b.addNetworkInterceptor(new UrlPolicyInterceptor(policy))
                .addNetworkInterceptor(auth);
        return b.build();
    }
}
