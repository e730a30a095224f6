package io.llmcp.inference;

import io.llmcp.failure.Failure;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.llmcp.inference.GenerationResult.FinishReason;
import io.llmcp.protocol.CancellationToken;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Text generation with a decoder-only ONNX model: encode the prompt, run it once (prefill), then one token per
 * step, feeding each step's {@code present.*} tensors straight back as the next {@code past_key_values.*}.
 * Stateless apart from the session: each call keeps its own KV cache, so calls may run concurrently.
 */
public final class Generator {
    /** One forward pass; tests wrap it to check that every tensor is closed and the cache is passed by reference. */
    interface StepRunner {
        OrtSession.Result run(Map<String, OnnxTensor> feed, OrtSession.RunOptions options) throws OrtException;
    }

    private final StepRunner runner;
    private final DecoderSpec spec;
    private final TextTokenizer tokenizer;
    private final String provider;

    public Generator(OrtSession session, DecoderSpec spec, TextTokenizer tokenizer, String provider) {
        this((feed, options) -> session.run(feed, options), spec, tokenizer, provider);
    }

    Generator(StepRunner runner, DecoderSpec spec, TextTokenizer tokenizer, String provider) {
        this.runner = runner;
        this.spec = spec;
        this.tokenizer = tokenizer;
        this.provider = provider;
    }

    public DecoderSpec spec() {
        return spec;
    }

    public TextTokenizer tokenizer() {
        return tokenizer;
    }

    /** A plain prompt, encoded with the special tokens the tokenizer config asks for. */
    public GenerationResult generate(String prompt, SamplingParams params, CancellationToken cancel, TokenListener listener) {
        return generate(tokenizer.encodePrompt(prompt), params, cancel, listener);
    }

    /** As above, with a {@code constraint} (nullable) that restricts which tokens may be picked. */
    public GenerationResult generate(String prompt, SamplingParams params, CancellationToken cancel, TokenListener listener,
                                     TokenConstraint constraint) {
        return generate(tokenizer.encodePrompt(prompt), params, spec.maxPositions(), cancel, listener, constraint);
    }

    public GenerationResult generate(long[] prompt, SamplingParams requested, CancellationToken cancel,
                                     TokenListener listener) {
        return generate(prompt, requested, spec.maxPositions(), cancel, listener, null);
    }

    /** @param contextLimit the context to use, at most the model's (a smaller {@code numCtx} ends generation sooner) */
    public GenerationResult generate(long[] prompt, SamplingParams requested, int contextLimit, CancellationToken cancel,
                                     TokenListener listener) {
        return generate(prompt, requested, contextLimit, cancel, listener, null);
    }

    /**
     * The full form: {@code constraint} (nullable) masks the logits before each token is picked (constrained
     * decoding); it is told how many tokens are left so it can steer towards a complete answer in time.
     */
    public GenerationResult generate(long[] prompt, SamplingParams requested, int contextLimit, CancellationToken cancel,
                                     TokenListener listener, TokenConstraint constraint) {
        int context = Math.min(contextLimit, spec.maxPositions());
        if (prompt.length == 0) throw InferenceException.invalidInput("prompt", "is empty");
        if (prompt.length >= context) {
            throw InferenceException.invalidInput("prompt", "has " + prompt.length + " tokens; the model's context holds "
                    + context + " including the answer");
        }
        SamplingParams params = requested.orDefaults(spec.defaults());
        Sampler sampler = new Sampler(params);
        for (long id : prompt) sampler.remember(id);
        StopStrings stops = new StopStrings(params.stop());
        StreamingDetokenizer detokenizer = tokenizer.streaming(prompt);
        long[] tokens = Arrays.copyOf(prompt, prompt.length + Math.min(params.maxNewTokens(), 4096));
        int length = prompt.length;
        int generated = 0;
        FinishReason finish = null;
        long start = System.nanoTime();
        long firstTokenAt = 0;

        try (Forward forward = new Forward(cancel)) {
            float[] logits = forward.prefill(prompt);
            while (true) {
                if (cancel.isCancelled()) {
                    finish = FinishReason.CANCELLED;
                    break;
                }
                int next = constraint == null ? sampler.sample(logits) : constraint.pick(logits,
                        Math.min(params.maxNewTokens() - generated, context - length), sampler::sample);
                if (next < 0) {
                    finish = FinishReason.EOS; // the constrained answer is complete and the model has no end token
                    String rest = stops.accept(detokenizer.flush()) + stops.flush();
                    if (!rest.isEmpty()) listener.onToken(rest, -1);
                    break;
                }
                if (constraint != null) constraint.accept(next);
                if (generated == 0) firstTokenAt = System.nanoTime();
                if (length == tokens.length) tokens = Arrays.copyOf(tokens, tokens.length * 2);
                tokens[length++] = next;
                generated++;
                sampler.remember(next);

                if (spec.eosIds().contains((long) next)) finish = FinishReason.EOS;
                String delta = finish == null ? stops.accept(detokenizer.push(next)) : "";
                if (stops.stopped()) finish = FinishReason.STOP;
                else if (finish == null && generated >= params.maxNewTokens()) finish = FinishReason.LENGTH;
                else if (finish == null && length >= context) finish = FinishReason.CONTEXT;
                if (finish != null && finish != FinishReason.STOP) delta += stops.accept(detokenizer.flush()) + stops.flush();
                listener.onToken(delta, next);
                if (finish != null) break;

                logits = forward.next(tokens, length);
            }
        } catch (OrtException e) {
            // A cancel sets ORT's terminate flag, which aborts a long prefill mid-run with this exception.
            if (cancel.isCancelled()) {
                finish = FinishReason.CANCELLED;
            } else {
                throw new InferenceException(Failure.INFERENCE_FAILED, "inference failed: " + e.getMessage(), null, e);
            }
        }
        long end = System.nanoTime();
        double ttftMs = generated > 0 ? (firstTokenAt - start) / 1e6 : 0;
        double decodeSeconds = (end - firstTokenAt) / 1e9;
        double tokensPerSecond = generated > 1 && decodeSeconds > 0 ? (generated - 1) / decodeSeconds
                : generated / Math.max(1e-9, (end - start) / 1e9);
        // On cancel the text is what was streamed; held-back pieces are dropped with the rest.
        String text = finish == FinishReason.CANCELLED ? stops.emittedText() : stops.text();
        return new GenerationResult(text, Arrays.copyOfRange(tokens, prompt.length, length), prompt.length,
                generated, finish, ttftMs, tokensPerSecond, provider);
    }

    /**
     * One forward pass per step. With a KV cache the previous step's Result stays open until the next run has
     * consumed its present.* tensors, then it is closed (which frees them); inputs we create are closed at once.
     */
    private final class Forward implements AutoCloseable {
        private final OrtEnvironment env = OrtEnvironment.getEnvironment();
        private final OrtSession.RunOptions runOptions;
        private final Object terminateLock = new Object();
        private boolean closed;
        private OrtSession.Result previous;
        private int past;

        /** Cancelling terminates the run in progress, so even a long prefill stops promptly. */
        Forward(CancellationToken cancel) throws OrtException {
            runOptions = new OrtSession.RunOptions();
            cancel.onCancel(() -> {
                synchronized (terminateLock) {
                    if (closed) return;
                    try {
                        runOptions.setTerminate(true);
                    } catch (OrtException ignored) {
                        // the step boundary check still stops generation
                    }
                }
            });
        }

        float[] prefill(long[] prompt) throws OrtException {
            return run(prompt, 0, prompt.length);
        }

        /** Feeds the newest token, or with no cache the whole sequence again. */
        float[] next(long[] tokens, int length) throws OrtException {
            return spec.hasKvCache() ? run(tokens, length - 1, length) : run(tokens, 0, length);
        }

        private float[] run(long[] tokens, int from, int to) throws OrtException {
            int n = to - from;
            int total = past + n;
            Map<String, OnnxTensor> owned = new HashMap<>();
            Map<String, OnnxTensor> feed = new HashMap<>();
            try {
                owned.put("input_ids", longs(Arrays.copyOfRange(tokens, from, to), n));
                if (spec.hasAttentionMask()) owned.put("attention_mask", ones(total));
                if (spec.hasPositionIds()) owned.put("position_ids", range(spec.positionStart() + past, n));
                if (spec.hasCachePosition()) {
                    owned.put("cache_position", OnnxTensor.createTensor(env, LongBuffer.wrap(positions(past, n)), new long[]{n}));
                }
                if (spec.hasTokenTypeIds()) owned.put("token_type_ids", longs(new long[n], n));
                if (spec.logitsToKeepInput() != null) {
                    // Only the last position's logits are needed, in the prompt step too (as transformers.js feeds it).
                    owned.put(spec.logitsToKeepInput(), OnnxTensor.createTensor(env, LongBuffer.wrap(new long[]{1}), new long[0]));
                }
                if (spec.hasUseCacheBranch()) {
                    owned.put("use_cache_branch", OnnxTensor.createTensor(env, new boolean[]{previous != null}));
                }
                feed.putAll(owned);
                if (spec.hasKvCache()) addPast(feed, owned);
                OrtSession.Result result = runner.run(feed, runOptions);
                float[] logits;
                try {
                    logits = lastRow(result);
                } catch (RuntimeException | OrtException e) {
                    result.close();
                    throw e;
                }
                closePrevious();
                if (spec.hasKvCache()) {
                    previous = result;
                    past = total;
                } else {
                    result.close();
                }
                return logits;
            } finally {
                owned.values().forEach(OnnxTensor::close);
            }
        }

        private void addPast(Map<String, OnnxTensor> feed, Map<String, OnnxTensor> owned) throws OrtException {
            for (DecoderSpec.CacheInput c : spec.cacheInputs()) {
                OnnxTensor t = previous != null ? (OnnxTensor) previous.get(c.output()).orElseThrow(
                        () -> new InferenceException(Failure.MODEL_INVALID, "the model did not return " + c.output()))
                        : initialState(c);
                if (previous == null) owned.put(c.input(), t);
                feed.put(c.input(), t);
            }
        }

        /** The state before the first token: zeros of the declared shape, e.g. [1, kv_heads, 0, head_dim]. */
        private OnnxTensor initialState(DecoderSpec.CacheInput c) throws OrtException {
            long[] shape = c.initialShape();
            long count = 1;
            for (long d : shape) count *= d;
            if (c.type() == OnnxJavaType.FLOAT16) {
                return OnnxTensor.createTensor(env, ByteBuffer.allocateDirect((int) count * 2), shape, OnnxJavaType.FLOAT16);
            }
            return OnnxTensor.createTensor(env, FloatBuffer.allocate((int) count), shape);
        }

        private float[] lastRow(OrtSession.Result result) throws OrtException {
            OnnxValue value = result.get("logits").orElseThrow();
            long[] shape = ((OnnxTensor) value).getInfo().getShape();
            int vocab = (int) shape[shape.length - 1];
            FloatBuffer all = ((OnnxTensor) value).getFloatBuffer();
            float[] row = new float[vocab];
            // The last position the model returned (exports that keep only the last logits return one row).
            long rows = shape.length == 3 ? shape[1] : 1;
            all.position((int) ((rows - 1) * vocab));
            all.get(row);
            return row;
        }

        private OnnxTensor longs(long[] values, int n) throws OrtException {
            return OnnxTensor.createTensor(env, LongBuffer.wrap(values), new long[]{1, n});
        }

        private OnnxTensor ones(int n) throws OrtException {
            long[] v = new long[n];
            Arrays.fill(v, 1);
            return longs(v, n);
        }

        private OnnxTensor range(int from, int n) throws OrtException {
            return longs(positions(from, n), n);
        }

        private long[] positions(int from, int n) {
            long[] v = new long[n];
            for (int i = 0; i < n; i++) v[i] = from + i;
            return v;
        }

        private void closePrevious() {
            if (previous != null) previous.close();
            previous = null;
        }

        @Override
        public void close() {
            closePrevious();
            synchronized (terminateLock) {
                closed = true;
                runOptions.close();
            }
        }
    }
}
