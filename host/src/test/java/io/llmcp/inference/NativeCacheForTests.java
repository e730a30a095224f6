package io.llmcp.inference;

import java.nio.file.Path;

/** Keeps DJL's extracted tokenizer library under target/ instead of the developer's ~/.djl.ai during tests. */
public final class NativeCacheForTests {
    private NativeCacheForTests() {
    }

    public static void use() {
        TextTokenizer.useNativeCacheDir(Path.of("target", "djl-cache"));
    }
}
