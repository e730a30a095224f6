package io.llmcp.fetch;

import java.io.IOException;
import java.time.Duration;
import okhttp3.Interceptor;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries a request whose answer is a 5xx (or 429), or whose connection failed before an answer came, with
 * exponential backoff and a bounded number of attempts. A body that breaks off later is not this class's
 * business: the downloader resumes it with a ranged request.
 */
final class RetryInterceptor implements Interceptor {
    private static final Logger log = LoggerFactory.getLogger(RetryInterceptor.class);

    private final int maxRetries;
    private final Duration baseDelay;

    RetryInterceptor(int maxRetries, Duration baseDelay) {
        this.maxRetries = maxRetries;
        this.baseDelay = baseDelay;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Request request = chain.request();
        for (int attempt = 0; ; attempt++) {
            Response response;
            try {
                response = chain.proceed(request);
            } catch (UrlPolicyInterceptor.RefusedUrlException e) {
                throw e;
            } catch (IOException e) {
                if (attempt >= maxRetries || chain.call().isCanceled()) throw e;
                log.info("{} {} failed ({}), retry {}/{}", request.method(), request.url(), e.toString(), attempt + 1, maxRetries);
                Backoff.sleep(baseDelay, attempt, chain.call()::isCanceled);
                continue;
            }
            int code = response.code();
            boolean retryable = code >= 500 || code == 429 || code == 408;
            if (!retryable || attempt >= maxRetries || chain.call().isCanceled()) return response;
            log.info("{} {} answered {}, retry {}/{}", request.method(), request.url(), code, attempt + 1, maxRetries);
            response.close();
            Backoff.sleep(baseDelay, attempt, chain.call()::isCanceled);
        }
    }
}
