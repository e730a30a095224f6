package io.llmcp.fetch;

import java.io.IOException;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.BufferedSource;
import okio.ForwardingSource;
import okio.Okio;
import okio.Source;

/** Throttles response bodies to the shared {@link RateLimiter} as they are read (headers are not counted). */
final class RateLimitInterceptor implements Interceptor {
    private final RateLimiter limiter;

    RateLimitInterceptor(RateLimiter limiter) {
        this.limiter = limiter;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Response response = chain.proceed(chain.request());
        ResponseBody body = response.body();
        if (body == null) return response;
        return response.newBuilder().body(new ThrottledBody(body, limiter)).build();
    }

    private static final class ThrottledBody extends ResponseBody {
        private final ResponseBody delegate;
        private final BufferedSource source;

        ThrottledBody(ResponseBody delegate, RateLimiter limiter) {
            this.delegate = delegate;
            this.source = Okio.buffer(new ThrottledSource(delegate.source(), limiter));
        }

        @Override
        public MediaType contentType() {
            return delegate.contentType();
        }

        @Override
        public long contentLength() {
            return delegate.contentLength();
        }

        @Override
        public BufferedSource source() {
            return source;
        }

        @Override
        public void close() {
            delegate.close();
        }
    }

    private static final class ThrottledSource extends ForwardingSource {
        private final RateLimiter limiter;

        ThrottledSource(Source delegate, RateLimiter limiter) {
            super(delegate);
            this.limiter = limiter;
        }

        @Override
        public long read(Buffer sink, long byteCount) throws IOException {
            long n = super.read(sink, Math.min(byteCount, limiter.sliceBytes()));
            if (n > 0) limiter.consume(n);
            return n;
        }
    }
}
