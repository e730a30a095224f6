package io.llmcp.app;

import java.util.Arrays;
import java.util.Optional;

/**
 * Recognises how a browser started us. Chrome passes the caller's origin
 * ({@code chrome-extension://ID/}, plus {@code --parent-window=N} on Windows); Firefox passes the path of
 * the host manifest and the extension id. Either way the jar must serve native messaging, not the CLI.
 */
public final class LaunchMode {
    private LaunchMode() {
    }

    /** The caller's origin when {@code args} is a browser launch, else empty. */
    public static Optional<String> browserOrigin(String[] args) {
        if (args.length == 0) return Optional.empty();
        if (args[0].startsWith("chrome-extension://")) return Optional.of(args[0]);
        if (args.length >= 2 && args[0].endsWith(".json") && !args[1].startsWith("-")) {
            return Optional.of(args[1]);
        }
        return Optional.empty();
    }

    /** Rewrites a browser launch into the {@code native-host} command with the origin as an option. */
    public static String[] normalise(String[] args) {
        return browserOrigin(args)
                .map(origin -> new String[] {"native-host", "--origin", origin})
                .orElse(Arrays.copyOf(args, args.length));
    }
}
