package dev.switchboard.model;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The tools a model may call, whether and which it must call, and whether it may call several at once. */
public record ToolUse(List<Tool> tools, ToolChoice choice, Boolean parallelCalls) {
    public static final ToolUse NONE = new ToolUse(List.of(), null, null);
    /** OpenAI's limit, and far above what any model handles well. */
    public static final int MAX_TOOLS = 128;

    public ToolUse {
        tools = tools == null ? List.of() : List.copyOf(tools);
        if (tools.size() > MAX_TOOLS) {
            throw new InvalidRequestException("tools", "at most " + MAX_TOOLS + " tools, got " + tools.size());
        }
        Set<String> names = new HashSet<>();
        for (Tool t : tools) {
            if (t instanceof Tool.Function f && !names.add(f.name())) {
                throw new InvalidRequestException("tools", "tool name '" + f.name() + "' is defined twice");
            }
        }
        if (choice instanceof ToolChoice.Named named && !names.contains(named.name())) {
            throw new InvalidRequestException("tool_choice", "names the function '" + named.name()
                    + "', which is not among the tools (" + String.join(", ", names) + ")");
        }
        if ((choice instanceof ToolChoice.Required || choice instanceof ToolChoice.Named) && tools.isEmpty()) {
            throw new InvalidRequestException("tool_choice", "requires a tool call, but the request defines no tools");
        }
    }

    public boolean any() {
        return !tools.isEmpty();
    }

    /** The function tools only (the ones every dialect understands). */
    public List<Tool.Function> functions() {
        return tools.stream().filter(Tool.Function.class::isInstance).map(Tool.Function.class::cast).toList();
    }
}
