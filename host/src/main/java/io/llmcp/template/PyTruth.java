package io.llmcp.template;

import com.hubspot.jinjava.el.TruthyTypeConverter;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.lib.tag.IfTag;
import com.hubspot.jinjava.objects.SafeString;
import com.hubspot.jinjava.tree.TagNode;
import com.hubspot.jinjava.util.HasObjectTruthValue;
import java.lang.reflect.Array;
import java.util.Collection;
import java.util.Map;

/**
 * Python truthiness. Jinjava's differs in one way that reaches prompts: the string {@code "false"} (any case) is
 * falsy there, so a message whose text is "false" would vanish behind {@code {% if message.content %}}. Used by
 * {@code if}/{@code elif} ({@link If}), by {@code not}/{@code and}/{@code or}/conditional expressions
 * ({@link Converter}) and by this package's own filters and loop filters.
 */
final class PyTruth {
    private PyTruth() {
    }

    static boolean evaluate(Object value) {
        if (value == null) {
            return false;
        }
        if (value instanceof HasObjectTruthValue truth) {
            return truth.getObjectTruthValue();
        }
        if (value instanceof Boolean b) {
            return b;
        }
        if (value instanceof Number n) {
            return n.doubleValue() != 0;
        }
        if (value instanceof CharSequence || value instanceof SafeString) {
            return !value.toString().isEmpty();
        }
        if (value instanceof Collection<?> collection) {
            return !collection.isEmpty();
        }
        if (value instanceof Map<?, ?> map) {
            return !map.isEmpty();
        }
        return !value.getClass().isArray() || Array.getLength(value) != 0;
    }

    /** {@code if}/{@code elif} conditions with Python truthiness. */
    static final class If extends IfTag {
        private static final long serialVersionUID = 1L;

        @Override
        public boolean isPositiveIfElseNode(TagNode tagNode, JinjavaInterpreter interpreter) {
            return evaluate(interpreter.resolveELExpression(tagNode.getHelpers(), tagNode.getLineNumber(),
                    tagNode.getStartPosition()));
        }
    }

    /** The expression language's boolean coercion ({@code not x}, {@code a and b}, {@code x if c else y}). */
    static final class Converter extends TruthyTypeConverter {
        private static final long serialVersionUID = 1L;

        @Override
        protected Boolean coerceToBoolean(Object value) {
            return evaluate(value);
        }
    }
}
