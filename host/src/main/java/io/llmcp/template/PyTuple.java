package io.llmcp.template;

import java.util.ArrayList;
import java.util.Arrays;

/**
 * A Python tuple: the (key, value) pairs of {@code items()}, {@code |items} and {@code |dictsort}. A list to
 * Jinjava (so {@code for k, v in ...} unpacks it and {@code |first} works), printed as {@code ('k', 1)} by
 * {@link PyRepr} and as a JSON array by {@code tojson}, as Python does.
 */
final class PyTuple extends ArrayList<Object> {
    private static final long serialVersionUID = 1L;

    PyTuple(Object... items) {
        super(Arrays.asList(items));
    }
}
