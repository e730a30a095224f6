package io.llmcp.template;

import com.hubspot.jinjava.util.HasObjectTruthValue;

/**
 * Python's None as a value, distinct from "undefined" (Java null). Jinjava uses null for both, but Jinja2 tells
 * them apart: {@code message.content is defined} is true for {@code "content": null}, {@code {{ none }}} prints
 * {@code None}, {@code namespace(name=none)} has a {@code name}. JSON nulls and the {@code none}/{@code None}
 * names become this; it is falsy, prints as {@code None}, serializes as JSON {@code null}, and
 * {@code is none} accepts it (and only it: undefined is not none).
 */
public final class PyNone implements HasObjectTruthValue {
    public static final PyNone INSTANCE = new PyNone();

    private PyNone() {
    }

    /** None or undefined: what prints as nothing and serializes as JSON null. */
    static boolean isNone(Object value) {
        return value == null || value == INSTANCE;
    }

    /** Jinja2's {@code is none}: exactly None; undefined ({@code null} here) is not none. */
    static boolean isPyNone(Object value) {
        return value == INSTANCE;
    }

    @Override
    public boolean getObjectTruthValue() {
        return false;
    }

    @Override
    public String toString() {
        return "None";
    }
}
