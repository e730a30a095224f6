package io.llmcp.template;

import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.JinjavaInterpreter.InterpreterScopeClosable;
import com.hubspot.jinjava.lib.tag.ElseTag;
import com.hubspot.jinjava.lib.tag.ForTag;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import com.hubspot.jinjava.tree.parse.TagToken;
import com.hubspot.jinjava.util.ForLoop;
import com.hubspot.jinjava.objects.SafeString;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import org.apache.commons.lang3.tuple.Pair;

/**
 * {@code for} with Jinja2's loop filter, {@code {% for key, val in tool.items() if key != "return" %}}
 * (Mistral's tool listing). Jinjava reads {@code x if c} as a conditional expression evaluated once, before the
 * loop variables exist. Here the items are filtered first, with the loop variables bound, and the loop then runs
 * over the survivors, so {@code loop.index}, {@code loop.last} and {@code loop.length} count only those, as in Jinja2.
 * It also iterates what Python iterates (a dict's keys, a string's characters) and keeps the items at hand for
 * {@code loop.previtem} and {@code loop.nextitem}, which Jinjava's loop object lacks, and supports
 * {@code {% else %}} for an empty loop.
 */
final class PythonForTag extends ForTag {
    private static final long serialVersionUID = 1L;

    /** The items of the loops running on this thread, innermost last: what {@code loop.previtem} looks at. */
    private static final ThreadLocal<Deque<List<Object>>> RUNNING = ThreadLocal.withInitial(ArrayDeque::new);

    @Override
    public String interpretUnchecked(TagNode tagNode, JinjavaInterpreter interpreter) {
        Pair<List<String>, String> varsAndExpression = getLoopVarsAndExpression((TagToken) tagNode.getMaster());
        List<String> loopVars = varsAndExpression.getLeft();
        String expression = varsAndExpression.getRight();
        int split = topLevelIf(expression);
        String iterable = split < 0 ? expression : expression.substring(0, split).trim();
        List<Object> items = items(interpreter.resolveELExpression(iterable, tagNode.getLineNumber()));
        if (split >= 0) {
            items = filter(items, loopVars, expression.substring(split + 2).trim(), tagNode, interpreter);
        }
        int elseAt = elseIndex(tagNode);
        if (elseAt >= 0 && items.isEmpty()) { // {% for %}...{% else %}runs when nothing was iterated{% endfor %}
            StringBuilder out = new StringBuilder();
            for (Node child : tagNode.getChildren().subList(elseAt + 1, tagNode.getChildren().size())) {
                out.append(child.render(interpreter).getValue());
            }
            return out.toString();
        }
        TagNode body = tagNode;
        if (elseAt >= 0) {
            body = new TagNode(this, (TagToken) tagNode.getMaster(), tagNode.getSymbols());
            body.setChildren(new LinkedList<>(tagNode.getChildren().subList(0, elseAt)));
        }
        Deque<List<Object>> running = RUNNING.get();
        running.push(items);
        try {
            return renderForCollection(body, interpreter, loopVars, items);
        } finally {
            running.pop();
        }
    }

    /** Position of this loop's own {@code {% else %}} among its children, or -1 (Jinjava has no for-else). */
    private static int elseIndex(TagNode tagNode) {
        List<Node> children = tagNode.getChildren();
        for (int i = 0; i < children.size(); i++) {
            if (children.get(i) instanceof TagNode child && child.getTag() instanceof ElseTag) {
                return i;
            }
        }
        return -1;
    }

    /** {@code loop.previtem} / {@code loop.nextitem} of the innermost running loop, or null at the ends. */
    static Object neighbour(ForLoop loop, int offset) {
        List<Object> items = RUNNING.get().peek();
        if (items == null || items.size() != loop.getLength()) {
            return null;
        }
        int at = loop.getIndex0() + offset;
        return at >= 0 && at < items.size() ? items.get(at) : null;
    }

    /** What Python iterates: a list's items, a dict's keys, a string's characters. */
    private static List<Object> items(Object collection) {
        if (collection == null) {
            return new ArrayList<>();
        }
        if (collection instanceof Map<?, ?> map) {
            return new ArrayList<>(map.keySet());
        }
        if (collection instanceof CharSequence || collection instanceof SafeString) {
            return new ArrayList<>(collection.toString().codePoints().mapToObj(Character::toString).toList());
        }
        if (collection instanceof Object[] array) {
            return new ArrayList<>(Arrays.asList(array));
        }
        List<Object> list = new ArrayList<>();
        if (collection instanceof Iterable<?> iterable) {
            iterable.forEach(list::add);
        } else if (collection instanceof Iterator<?> iterator) {
            iterator.forEachRemaining(list::add);
        } else {
            list.add(collection);
        }
        return list;
    }

    private static List<Object> filter(List<Object> items, List<String> loopVars, String condition, TagNode tagNode,
            JinjavaInterpreter interpreter) {
        List<Object> kept = new ArrayList<>();
        for (Object item : items) {
            try (InterpreterScopeClosable scope = interpreter.enterScope()) {
                bind(interpreter, loopVars, item);
                if (PyTruth.evaluate(interpreter.resolveELExpression(condition, tagNode.getLineNumber()))) {
                    kept.add(item);
                }
            }
        }
        return kept;
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
