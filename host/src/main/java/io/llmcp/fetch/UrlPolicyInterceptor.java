package io.llmcp.fetch;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Checks every hop against the {@link UrlPolicy}: as a network interceptor it also sees redirect targets, so an
 * https URL that redirects to plain http elsewhere is refused before anything is sent there.
 */
final class UrlPolicyInterceptor implements Interceptor {
    private final UrlPolicy policy;

    UrlPolicyInterceptor(UrlPolicy policy) {
        this.policy = policy;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        try {
            policy.check(chain.request().url());
        } catch (FetchException e) {
            throw new RefusedUrlException(e);
        }
        return chain.proceed(chain.request());
    }

    /**
     * Carries the refusal through OkHttp, which only lets IOExceptions out of an interceptor. A
     * ProtocolException, because OkHttp never retries those on another route.
     */
    static final class RefusedUrlException extends java.net.ProtocolException {
        final FetchException refusal;

        RefusedUrlException(FetchException refusal) {
            super(refusal.getMessage());
            initCause(refusal);
            this.refusal = refusal;
        }
    }
}
