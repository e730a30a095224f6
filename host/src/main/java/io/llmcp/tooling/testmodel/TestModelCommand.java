package io.llmcp.tooling.testmodel;

import io.llmcp.tooling.testmodel.LlamaShape;
import io.llmcp.tooling.testmodel.TestModels;
import io.llmcp.tooling.testmodel.Variant;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code llmcp testmodel <dir>} (hidden): writes the project's tiny random-weight chat model in Hugging Face
 * layout, so tests outside Java (the extension's browser test) can serve a real model from a loopback server.
 */
@Command(name = "testmodel", hidden = true, description = "Write the tiny built-in test chat model into a directory.")
public final class TestModelCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", description = "Target directory (created).")
    Path dir;

    @Option(names = "--variant", description = "KV_CACHE, MERGED_USE_CACHE_BRANCH or NO_CACHE (default ${DEFAULT-VALUE}).")
    Variant variant = Variant.KV_CACHE;

    @Option(names = "--max-positions", description = "Context length (default: the tiny shape's ${DEFAULT-VALUE}). "
            + "A longer one lets a browser test stop a generation that would otherwise end within milliseconds.")
    int maxPositions = TestModels.tinyShape().maxPositions();

    @Option(names = "--arch", description = "Model family: llama, mistral, qwen2, qwen3, smollm3, phi3, gemma2, gemma3_text, gpt2 "
            + "(default llama).")
    String arch;

    @Option(names = "--dtype", description = "fp32, fp16, q4 or q4zp (default fp32).")
    String dtype;

    @Option(names = "--shape", description = "tiny (default) or smollm2-135m: SmolLM2-135M's dimensions with random weights "
            + "(about 540 MB in fp32; what the benchmarks load). Llama family only.")
    String shape = "tiny";

    @Option(names = "--external-data", description = "Put the weights in onnx/<model file>_data, as large exports do.")
    boolean externalData;

    @Option(names = "--suite", description = "Write every family in every dtype under <dir>/models and the host's greedy "
            + "token ids for each test case to <dir>/cases.json (the conformance test compares them with transformers.js).")
    boolean suite;

    @Override
    public Integer call() throws Exception {
        if (suite) {
            spec.commandLine().getOut().println(ConformanceSuite.write(dir).toAbsolutePath());
            spec.commandLine().getOut().flush();
            return 0;
        }
        if ("smollm2-135m".equalsIgnoreCase(shape)) {
            if (arch != null && Architecture.parse(arch) != Architecture.LLAMA) throw new IllegalArgumentException("--shape smollm2-135m is a llama");
            Dtype d = dtype == null ? Dtype.FP32 : Dtype.parse(dtype);
            TestModels.writeModel(dir, LlamaShape.smolLm2_135m(), variant, ModelOptions.none().with(d));
            if (externalData) ExternalData.convert(dir, d.modelFile);
            spec.commandLine().getOut().println(dir.toAbsolutePath());
            spec.commandLine().getOut().flush();
            return 0;
        }
        if (!"tiny".equalsIgnoreCase(shape)) throw new IllegalArgumentException("unknown --shape " + shape + " (tiny, smollm2-135m)");
        if (arch != null || dtype != null || externalData) {
            Architecture a = arch == null ? Architecture.LLAMA : Architecture.parse(arch);
            LlamaShape t = TestModels.tinyShape(a);
            LlamaShape tinyShape = new LlamaShape(t.layers(), t.hidden(), t.heads(), t.kvHeads(), t.intermediate(), t.vocab(),
                    maxPositions, t.seed(), t.tiedEmbeddings());
            Dtype d = dtype == null ? Dtype.FP32 : Dtype.parse(dtype);
            Path written = TestModels.writeModel(dir, tinyShape, variant, ModelOptions.none().with(a).with(d));
            if (externalData) ExternalData.convert(dir, d.modelFile);
            spec.commandLine().getOut().println(written.toAbsolutePath());
            spec.commandLine().getOut().flush();
            return 0;
        }
        LlamaShape tiny = TestModels.tinyShape();
        LlamaShape sized = new LlamaShape(tiny.layers(), tiny.hidden(), tiny.heads(), tiny.kvHeads(), tiny.intermediate(),
                tiny.vocab(), maxPositions, tiny.seed(), tiny.tiedEmbeddings());
        Path written = TestModels.writeModel(dir, sized, variant);
        spec.commandLine().getOut().println(written.toAbsolutePath());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
