package io.llmcp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.Json;
import io.llmcp.protocol.RpcException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;

/**
 * The interactive chat of {@code llmcp run MODEL} without a prompt, like Ollama's: {@code >>> } prompt, line
 * editing and history (JLine), {@code /bye} (or Ctrl-D) ends it, {@code /clear} forgets the conversation,
 * {@code /set system TEXT} sets the system message, {@code """} starts and ends a multi-line message, {@code /?}
 * lists the commands, Ctrl-C stops a reply that is streaming. A model without a chat template is used as a plain completion model, each message sent as
 * a raw prompt.
 */
final class ChatRepl {
    static final String PROMPT = ">>> ";
    static final String MORE = "... ";
    static final String FENCE = "\"\"\"";

    /** Runs one generate call: params in, the result out, each streamed text delta given to {@code onText}. */
    interface Generator {
        JsonNode generate(ObjectNode params, java.util.function.Consumer<String> onText) throws Exception;

        /** Stops the generation running now (Ctrl-C while a reply streams). */
        default void cancel() {
        }
    }

    private final Terminal terminal;
    private final LineReader reader;
    private final PrintWriter out;
    private final Generator generator;
    /** Makes the generate params from either a prompt (raw) or messages. */
    private final Function<Object, ObjectNode> params;
    private boolean chat;
    private String system;
    private final List<ObjectNode> history = new ArrayList<>();

    ChatRepl(Terminal terminal, Path historyFile, Generator generator, Function<Object, ObjectNode> params, boolean chat, String system) {
        this.terminal = terminal;
        LineReaderBuilder b = LineReaderBuilder.builder().terminal(terminal).appName("llmcp");
        if (historyFile != null) b.variable(LineReader.HISTORY_FILE, historyFile);
        this.reader = b.build();
        this.reader.setOpt(LineReader.Option.DISABLE_EVENT_EXPANSION); // '!' is text, not a history command
        this.out = terminal.writer();
        this.generator = generator;
        this.params = params;
        this.chat = chat;
        this.system = system;
    }

    int run() {
        out.println("Chatting with the model. Type a message, /? for help, /bye to leave (or Ctrl-D).");
        out.flush();
        while (true) {
            String line;
            try {
                line = reader.readLine(PROMPT);
            } catch (UserInterruptException e) {
                out.println("Use Ctrl-D or /bye to leave.");
                continue;
            } catch (EndOfFileException e) {
                out.println();
                out.flush();
                return 0;
            }
            String text = line;
            if (line.strip().startsWith(FENCE)) {
                text = readMultiLine(line.strip().substring(FENCE.length()));
                if (text == null) return 0;
            } else if (line.strip().startsWith("/")) {
                if (!command(line.strip())) return 0;
                continue;
            }
            if (text.isBlank()) continue;
            send(text);
        }
    }

    /** Collects lines until one that contains the closing {@code """}; null on Ctrl-D. */
    private String readMultiLine(String first) {
        StringBuilder sb = new StringBuilder();
        String rest = first;
        while (true) {
            int end = rest.indexOf(FENCE);
            if (end >= 0) {
                sb.append(rest, 0, end);
                return sb.toString().strip();
            }
            sb.append(rest).append('\n');
            try {
                rest = reader.readLine(MORE);
            } catch (UserInterruptException e) {
                return "";
            } catch (EndOfFileException e) {
                return null;
            }
        }
    }

    /** Handles a slash command; false when the chat ends. */
    private boolean command(String line) {
        String[] parts = line.split("\\s+", 3);
        switch (parts[0]) {
            case "/bye", "/exit", "/quit" -> {
                return false;
            }
            case "/clear" -> {
                history.clear();
                out.println("Cleared the conversation.");
            }
            case "/set" -> {
                if (parts.length >= 2 && parts[1].equals("system")) {
                    system = parts.length == 3 ? parts[2].strip() : null;
                    if (system != null && system.startsWith(FENCE) && system.endsWith(FENCE) && system.length() >= 6) {
                        system = system.substring(3, system.length() - 3).strip();
                    }
                    out.println(system == null || system.isEmpty() ? "Cleared the system message." : "Set the system message.");
                } else {
                    out.println("Usage: /set system <text>");
                }
            }
            case "/show" -> {
                if (parts.length >= 2 && parts[1].equals("system")) {
                    out.println(system == null || system.isEmpty() ? "No system message." : system);
                } else {
                    out.println("Usage: /show system");
                }
            }
            case "/?", "/help" -> out.println(String.join(System.lineSeparator(),
                    "Commands:",
                    "  /set system <text>   set the system message (/set system alone clears it)",
                    "  /show system         show the system message",
                    "  /clear               forget the conversation so far",
                    "  /bye                 leave (also Ctrl-D)",
                    "  \"\"\"                  begin a multi-line message; end it with \"\"\""));
            default -> out.println("Unknown command '" + parts[0] + "'. Type /? for help.");
        }
        out.flush();
        return true;
    }

    private ArrayNode messages(String text) {
        ArrayNode msgs = Json.MAPPER.createArrayNode();
        if (system != null && !system.isBlank()) msgs.addObject().put("role", "system").put("content", system);
        history.forEach(msgs::add);
        msgs.addObject().put("role", "user").put("content", text);
        return msgs;
    }

    private void send(String text) {
        // Ctrl-C while the reply streams stops the reply, not the chat.
        Terminal.SignalHandler previous = terminal.handle(Terminal.Signal.INT, s -> generator.cancel());
        try {
            sendOnce(text);
        } finally {
            terminal.handle(Terminal.Signal.INT, previous);
        }
    }

    private void sendOnce(String text) {
        StringBuilder reply = new StringBuilder();
        try {
            JsonNode result;
            try {
                result = generator.generate(chat ? params.apply(messages(text)) : params.apply(text), t -> {
                    reply.append(t);
                    out.print(t);
                    out.flush();
                });
            } catch (RpcException e) {
                if (!chat || !RunCommand.isNoChatTemplate(e)) throw e;
                chat = false;
                out.println("(this model has no chat template: each message is sent as a plain prompt)");
                result = generator.generate(params.apply(text), t -> {
                    reply.append(t);
                    out.print(t);
                    out.flush();
                });
            }
            String full = result.path("text").isTextual() ? result.path("text").asText() : reply.toString();
            if (full.length() > reply.length() && full.startsWith(reply.toString())) out.print(full.substring(reply.length()));
            out.println();
            out.println();
            if (chat) {
                history.add(Json.object().put("role", "user").put("content", text));
                history.add(Json.object().put("role", "assistant").put("content", full));
            }
        } catch (RpcException e) {
            out.println();
            if (e.code() == ErrorCodes.CANCELLED) {
                out.println("(stopped)");
                if (chat && reply.length() > 0) {
                    history.add(Json.object().put("role", "user").put("content", text));
                    history.add(Json.object().put("role", "assistant").put("content", reply.toString()));
                }
                out.println();
                out.flush();
                return;
            }
            out.println("error " + e.code() + ": " + e.getMessage());
            if (e.code() == ErrorCodes.NOT_FOUND) out.println("  see what you have: llmcp list");
        } catch (Exception e) {
            out.println();
            out.println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        }
        out.flush();
        terminal.flush();
    }
}
