package io.llmcp.inference.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.JinjavaInterpreter.InterpreterScopeClosable;
import com.hubspot.jinjava.lib.tag.ForTag;
import com.hubspot.jinjava.tree.TagNode;
import com.hubspot.jinjava.tree.parse.TagToken;
import com.hubspot.jinjava.util.ForLoop;
import com.hubspot.jinjava.util.ObjectIterator;
import com.hubspot.jinjava.util.ObjectTruthValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.lang3.tuple.Pair;

/**
 * {@code for} with Jinja2's loop filter, {@code {% for key, val in tool.items() if key != "return" %}}
 * (Mistral's tool listing). Jinjava reads {@code x if c} as a conditional expression evaluated once, before the
 * loop variables exist. Here the items are filtered first, with the loop variables bound, and the loop then runs
 * over the survivors, so {@code loop.index}, {@code loop.last} and {@code loop.length} count only those, as in Jinja2.
 */
final class PythonForTag extends ForTag {
    private static final long serialVersionUID = 1L;

    @Override
    public String interpretUnchecked(TagNode tagNode, JinjavaInterpreter interpreter) {
        Pair<List<String>, String> varsAndExpression = getLoopVarsAndExpression((TagToken) tagNode.getMaster());
        String expression = varsAndExpression.getRight();
        int split = topLevelIf(expression);
        if (split < 0) {
            return super.interpretUnchecked(tagNode, interpreter);
        }
        List<String> loopVars = varsAndExpression.getLeft();
        String condition = expression.substring(split + 2).trim();
        Object collection = interpreter.resolveELExpression(expression.substring(0, split).trim(),
                tagNode.getLineNumber());
        List<Object> kept = new ArrayList<>();
        ForLoop items = ObjectIterator.getLoop(collection);
        while (items.hasNext()) {
            Object item = items.next();
            try (InterpreterScopeClosable scope = interpreter.enterScope()) {
                bind(interpreter, loopVars, item);
                if (ObjectTruthValue.evaluate(interpreter.resolveELExpression(condition, tagNode.getLineNumber()))) {
                    kept.add(item);
                }
            }
        }
        return renderForCollection(tagNode, interpreter, loopVars, kept);
    }

    /** Binds one item to the loop variables the way the loop itself will ({@code k, v} unpacks pairs and entries). */
    private static void bind(JinjavaInterpreter interpreter, List<String> vars, Object item) {
        if (vars.size() == 1) {
            interpreter.getContext().put(vars.get(0), item);
            return;
        }
        for (int i = 0; i < vars.size(); i++) {
            Object value = null;
            if (item instanceof Map.Entry<?, ?> entry) {
                value = i == 0 ? entry.getKey() : i == 1 ? entry.getValue() : null;
            } else if (item instanceof List<?> list && i < list.size()) {
                value = list.get(i);
            }
            interpreter.getContext().put(vars.get(i), value);
        }
    }

    /** Index of a standalone {@code if} outside quotes and brackets, or -1. */
    static int topLevelIf(String expression) {
        int depth = 0;
        char quote = 0;
        for (int i = 0; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (quote != 0) {
                if (c == '\\') {
                    i++;
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
            } else if (c == ')' || c == ']' || c == '}') {
                depth--;
            } else if (depth == 0 && expression.startsWith("if", i)
                    && (i == 0 || Character.isWhitespace(expression.charAt(i - 1)))
                    && (i + 2 < expression.length() && Character.isWhitespace(expression.charAt(i + 2)))) {
                return i;
            }
        }
        return -1;
    }
}
