package io.llmcp.host;

import io.llmcp.protocol.MethodRegistry;

/**
 * Extra methods added to a host's table by whoever starts it. The product offers none; the entry point passes
 * the tooling's ({@code test.job} for the engine's tests), so the product never imports the tooling.
 */
@FunctionalInterface
public interface MethodModule {
    void register(MethodRegistry methods, Host host);
}
