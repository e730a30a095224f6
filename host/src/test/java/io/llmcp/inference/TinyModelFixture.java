package io.llmcp.inference;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.llmcp.tooling.testmodel.LlamaShape;
import io.llmcp.tooling.testmodel.ModelOptions;
import io.llmcp.tooling.testmodel.TestModels;
import io.llmcp.tooling.testmodel.Variant;
import java.nio.file.Path;

/** A built test model opened the way the runtime opens one: session (spinning off), spec, tokenizer. */
public final class TinyModelFixture implements AutoCloseable {
    static {
        NativeCacheForTests.use();
    }

    final Path dir;
    final OrtSession session;
    final TextTokenizer tokenizer;
    final DecoderSpec spec;

    private TinyModelFixture(Path dir) throws OrtException {
        this.dir = dir;
        this.session = open(dir);
        this.tokenizer = TextTokenizer.fromFile(dir.resolve("tokenizer.json"));
        this.spec = DecoderSpec.load(dir, session);
    }

    public static TinyModelFixture build(Path dir, LlamaShape shape, Variant variant, ModelOptions options) throws OrtException {
        return new TinyModelFixture(TestModels.writeModel(dir, shape, variant, options));
    }

    static TinyModelFixture build(Path dir, Variant variant) throws OrtException {
        return build(dir, TestModels.tinyShape(), variant, ModelOptions.none());
    }

    static OrtSession open(Path dir) throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.addConfigEntry("session.intra_op.allow_spinning", "0");
        o.addConfigEntry("session.inter_op.allow_spinning", "0");
        o.setIntraOpNumThreads(1);
        return OrtEnvironment.getEnvironment().createSession(dir.resolve(TestModels.MODEL_FILE).toString(), o);
    }

    public Generator generator() {
        return new Generator(session, spec, tokenizer, "CPU");
    }

    /** The same spec without stop tokens, so random weights cannot end a run early by chance. */
    Generator generatorWithoutEos() {
        return new Generator(session, spec.withEosIds(java.util.Set.of()), tokenizer, "CPU");
    }

    @Override
    public void close() throws OrtException {
        tokenizer.close();
        session.close();
    }
}
