package io.llmcp.fetch;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/** Names the host in every request, so mirror operators can tell llmcp traffic apart. */
final class UserAgentInterceptor implements Interceptor {
    private final String userAgent;

    UserAgentInterceptor(String userAgent) {
        this.userAgent = userAgent;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        return chain.proceed(chain.request().newBuilder().header("User-Agent", userAgent).build());
    }
}
