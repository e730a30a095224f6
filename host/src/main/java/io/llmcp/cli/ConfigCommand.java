package io.llmcp.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.app.ConfigSchema;
import io.llmcp.app.DataDir;
import io.llmcp.app.HostConfig;
import io.llmcp.install.ExtensionIds;
import io.llmcp.protocol.Json;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code llmcp config get|set|unset|list}: the settings in {@code <data dir>/config.json}, checked against
 * {@link ConfigSchema}, the same description of the file the host reads it with.
 */
@Command(name = "config", description = {
        "Show or change the host's settings (<data dir>/config.json).",
        "Keys are dotted paths such as fetch.token, inference.provider, engine.idleExitSeconds, store.chunkSize, "
                + "allowedOrigins; `llmcp config list` shows every key with its value, default and what it accepts.",
        "The engine reads the file when it starts: a change takes effect when it restarts (`llmcp engine stop`)."},
        subcommands = {ConfigCommand.Get.class, ConfigCommand.Set.class, ConfigCommand.Unset.class, ConfigCommand.ListKeys.class})
public final class ConfigCommand implements Runnable {
    static final String MASK = "********";
    static final String RESTART_NOTE = "takes effect when the engine restarts: `llmcp engine stop` "
            + "(the next browser or command starts a new one)";

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Options every subcommand has. */
    abstract static class Sub implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Option(names = "--json", description = "Print the result as JSON.")
        boolean json;

        @Option(names = "--show-secrets", description = "Show fetch.token instead of masking it.")
        boolean showSecrets;

        HostConfig config() {
            return HostConfig.read(DataDir.resolve());
        }

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        JsonNode shown(ConfigSchema.Key key, JsonNode value) {
            if (value == null) return null;
            return key != null && key.secret() && !showSecrets ? Json.MAPPER.getNodeFactory().textNode(MASK) : value;
        }

        /** {key, value, set, source, default, …}: what a key is now. */
        ObjectNode describe(HostConfig config, ConfigSchema.Key key) {
            ObjectNode o = Json.object();
            o.put("key", key.key());
            JsonNode value = config.get(key.key());
            String source = value != null ? "config.json" : "default";
            if (value == null && key.key().equals("fetch.token") && System.getenv("HF_TOKEN") != null
                    && !System.getenv("HF_TOKEN").isBlank()) {
                value = Json.MAPPER.getNodeFactory().textNode(System.getenv("HF_TOKEN").trim());
                source = "HF_TOKEN";
            }
            o.set("value", value != null ? shown(key, value) : key.defaultValue());
            o.put("set", config.get(key.key()) != null);
            o.put("source", source);
            if (key.secret() && value != null && !showSecrets) o.put("masked", true);
            o.put("type", key.type().name().toLowerCase(java.util.Locale.ROOT).replace("string_list", "list"));
            o.put("allowed", key.allowedText());
            if (key.defaultValue() != null) o.set("default", key.defaultValue());
            else o.put("default", key.defaultText());
            o.put("description", key.description());
            String problem = value != null && !"HF_TOKEN".equals(source) ? key.problem(value) : null;
            if (problem != null) o.put("problem", problem);
            return o;
        }

        static String text(JsonNode v) {
            if (v == null) return "(not set)";
            return v.isTextual() ? v.asText() : v.toString();
        }

        void note(String line) {
            out().println(line);
            out().flush();
        }
    }

    @Command(name = "get", description = "Print one setting's value (its default when not set).")
    static final class Get extends Sub {
        @Parameters(index = "0", paramLabel = "KEY", description = "A dotted key, e.g. inference.provider.")
        String key;

        @Override
        public Integer call() {
            HostConfig config = config();
            ConfigSchema.Key k = ConfigSchema.require(key);
            ObjectNode d = describe(config, k);
            if (json) {
                JsonOutput.print(out(), d);
                return 0;
            }
            String value = d.get("value") == null || d.get("value").isNull() ? k.defaultText() : text(d.get("value"));
            String source = d.path("source").asText();
            note(value + (source.equals("config.json") ? "" : " (" + (source.equals("default") ? "default" : "from " + source) + ")"));
            return 0;
        }
    }

    @Command(name = "set", description = {"Set one setting, checked against what the host accepts.",
            "Lists take a JSON array or values separated by commas (or several VALUE arguments)."})
    static final class Set extends Sub {
        @Parameters(index = "0", paramLabel = "KEY", description = "A dotted key, e.g. fetch.parallelParts.")
        String key;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "VALUE", description = "The value: true/false, an integer, a word, text, or a list.")
        List<String> values = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            ConfigSchema.Key k = ConfigSchema.require(key);
            List<String> raw = values;
            if (k.key().equals("allowedOrigins")) {
                // `llmcp install --extension-id` takes bare Chrome ids too; store what the host is called with.
                List<String> origins = new ArrayList<>();
                for (String v : values) {
                    if (v.trim().startsWith("[")) {
                        origins.add(v);
                        continue;
                    }
                    for (String part : v.split(",")) if (!part.isBlank()) origins.add(ExtensionIds.toOrigin(part));
                }
                raw = origins;
            }
            JsonNode value = k.parse(raw);
            HostConfig config = config();
            JsonNode previous = config.get(k.key());
            config.set(k.key(), value);
            config.save();
            if (json) {
                ObjectNode o = Json.object();
                o.put("key", k.key());
                o.set("value", shown(k, value));
                o.set("previous", shown(k, previous));
                o.put("file", config.file().toString());
                o.put("restartNeeded", true);
                o.put("note", RESTART_NOTE);
                JsonOutput.print(out(), o);
                return 0;
            }
            note(k.key() + " = " + text(shown(k, value)) + " (was " + (previous == null ? k.defaultText() + ", the default" : text(shown(k, previous))) + ")");
            note("saved in " + config.file() + "; " + RESTART_NOTE);
            return 0;
        }
    }

    @Command(name = "unset", description = "Remove one setting from config.json, so its default applies.")
    static final class Unset extends Sub {
        @Parameters(index = "0", paramLabel = "KEY", description = "A dotted key, e.g. fetch.token.")
        String key;

        @Override
        public Integer call() throws Exception {
            HostConfig config = config();
            ConfigSchema.Key k = ConfigSchema.find(key).orElse(null);
            // An unknown key can be removed when the file has it (a typo); otherwise it is refused like in `set`.
            if (k == null && config.get(key) == null) ConfigSchema.require(key);
            JsonNode previous = config.get(key);
            boolean removed = config.unset(key);
            if (removed) config.save();
            if (json) {
                ObjectNode o = Json.object();
                o.put("key", key);
                o.put("removed", removed);
                o.set("previous", shown(k, previous));
                if (k != null) {
                    if (k.defaultValue() != null) o.set("default", k.defaultValue());
                    else o.put("default", k.defaultText());
                }
                o.put("file", config.file().toString());
                o.put("restartNeeded", removed);
                if (removed) o.put("note", RESTART_NOTE);
                JsonOutput.print(out(), o);
                return 0;
            }
            if (!removed) {
                note(key + " was not set" + (k == null ? "" : " (default " + k.defaultText() + ")"));
                return 0;
            }
            note(key + " removed (was " + text(shown(k, previous)) + ")" + (k == null ? "" : "; the default " + k.defaultText() + " applies"));
            note("saved in " + config.file() + "; " + RESTART_NOTE);
            return 0;
        }
    }

    @Command(name = "list", description = {"Show every setting: value, default, and what it accepts; and what is wrong in the file.",
            "Exits 1 when the file has problems (unknown keys, values the host does not accept)."})
    static final class ListKeys extends Sub {
        @Option(names = "--set", description = "Only the settings config.json sets.")
        boolean onlySet;

        @Override
        public Integer call() {
            HostConfig config = config();
            ArrayNode settings = Json.MAPPER.createArrayNode();
            for (ConfigSchema.Key k : ConfigSchema.keys()) {
                ObjectNode d = describe(config, k);
                if (!onlySet || d.path("set").asBoolean()) settings.add(d);
            }
            if (json) {
                ObjectNode o = Json.object();
                o.put("file", config.file().toString());
                o.set("settings", settings);
                ArrayNode problems = o.putArray("problems");
                config.problems().forEach(problems::add);
                o.put("note", "the engine reads config.json when it starts; a change " + RESTART_NOTE);
                JsonOutput.print(out(), o);
                return config.problems().isEmpty() ? 0 : 1;
            }
            PrintWriter out = out();
            out.printf("%s%n%n%-32s %-28s %s%n", config.file(), "KEY", "VALUE", "DEFAULT / ACCEPTS");
            for (JsonNode d : settings) {
                String source = d.path("source").asText();
                String value = source.equals("default") ? "-" : text(d.get("value")) + (source.equals("HF_TOKEN") ? " (HF_TOKEN)" : "");
                String def = d.get("default").isTextual() ? d.get("default").asText() : d.get("default").toString();
                out.printf("%-32s %-28s %s; %s%n", d.path("key").asText(), value, def, d.path("allowed").asText());
            }
            if (!config.problems().isEmpty()) {
                out.printf("%nProblems in config.json (the host ignores values of the wrong type and warns about the rest):%n");
                for (String p : config.problems()) out.printf("  %s%n", p);
            }
            out.printf("%nThe engine reads config.json when it starts: a change %s.%n", RESTART_NOTE);
            out.flush();
            return config.problems().isEmpty() ? 0 : 1;
        }
    }
}
