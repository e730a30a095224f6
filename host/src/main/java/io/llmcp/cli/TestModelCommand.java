package io.llmcp.cli;

import io.llmcp.inference.testmodel.TestModels;
import io.llmcp.inference.testmodel.Variant;
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

    @Override
    public Integer call() {
        Path written = TestModels.writeTinyChatModel(dir, variant);
        spec.commandLine().getOut().println(written.toAbsolutePath());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
