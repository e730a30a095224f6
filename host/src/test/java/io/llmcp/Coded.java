package io.llmcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.llmcp.methods.Failures;
import io.llmcp.protocol.RpcException;
import org.assertj.core.api.ThrowingConsumer;

/**
 * What a client would see for a failure: a domain exception through the edge's one table
 * ({@link Failures#domain}), or the coded error itself. Domain tests check codes and data through this, so they
 * pin the wire contract and the mapping together.
 */
public final class Coded {
    private Coded() {
    }

    public static RpcException of(Throwable t) {
        RpcException coded = Failures.domain(t);
        assertThat(coded).as("a coded failure, not %s", t).isNotNull();
        return coded;
    }

    /** {@code assertThatThrownBy(...).satisfies(coded(e -> assertThat(e.code())...))}. */
    public static ThrowingConsumer<Throwable> coded(ThrowingConsumer<RpcException> check) {
        return t -> check.accept(of(t));
    }

    /** Just that the failure is a coded one. */
    public static ThrowingConsumer<Throwable> coded() {
        return Coded::of;
    }
}
