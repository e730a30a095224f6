package io.llmcp.template;

import io.llmcp.failure.Failure;
import com.hubspot.jinjava.interpret.JinjavaInterpreter;
import com.hubspot.jinjava.interpret.JinjavaInterpreter.InterpreterScopeClosable;
import com.hubspot.jinjava.lib.filter.Filter;
import com.hubspot.jinjava.lib.tag.Tag;
import com.hubspot.jinjava.tree.Node;
import com.hubspot.jinjava.tree.TagNode;
import java.util.Map;

/** Jinja2's {@code {% filter name %}...{% endfilter %}}: the rendered body goes through one filter (no arguments). */
final class FilterBlockTag implements Tag {
    private static final long serialVersionUID = 1L;

    @Override
    public String getName() {
        return "filter";
    }

    @Override
    public String interpret(TagNode tagNode, JinjavaInterpreter interpreter) {
        String name = tagNode.getHelpers().trim();
        Filter filter = interpreter.getContext().getFilter(name);
        if (filter == null) {
            throw new TemplateException(Failure.TEMPLATE_ERROR, "chat template uses an unknown filter: " + name);
        }
        StringBuilder body = new StringBuilder();
        try (InterpreterScopeClosable scope = interpreter.enterScope()) {
            for (Node child : tagNode.getChildren()) {
                body.append(child.render(interpreter).getValue());
            }
        }
        return PyRepr.str(filter.filter(body.toString(), interpreter, new Object[0], Map.of()));
    }
}
