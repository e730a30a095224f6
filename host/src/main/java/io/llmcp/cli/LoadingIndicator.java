package io.llmcp.cli;

import java.io.PrintWriter;

/**
 * "Loading model…" on stderr while the host loads a model before the first token ({@code generate.loading}):
 * a spinner on a terminal, one plain line otherwise. Never stdout, which carries the generated text (or the JSON).
 */
final class LoadingIndicator {
    private static final String FRAMES = "|/-\\";
    private final PrintWriter err;
    private final boolean animate;
    private Thread spinner;
    private String message;

    LoadingIndicator(PrintWriter err, boolean animate) {
        this.err = err;
        this.animate = animate;
    }

    /** For the terminal the command runs in: animated only when stderr is interactive. */
    static LoadingIndicator forTerminal(PrintWriter err) {
        return new LoadingIndicator(err, System.console() != null && System.getenv("TERM") != null
                && !"dumb".equals(System.getenv("TERM")));
    }

    synchronized void start(String modelId) {
        if (message != null) return;
        message = "Loading model " + modelId + "…";
        if (!animate) {
            err.println(message);
            err.flush();
            return;
        }
        spinner = new Thread(() -> {
            int i = 0;
            try {
                while (true) {
                    synchronized (this) {
                        if (spinner == null) return;
                        err.print("\r" + FRAMES.charAt(i++ % FRAMES.length()) + " " + message);
                        err.flush();
                    }
                    Thread.sleep(120);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "llmcp-loading-spinner");
        spinner.setDaemon(true);
        spinner.start();
    }

    /** The model is there (first token, result or failure): the spinner line is cleared. */
    synchronized void stop() {
        if (spinner == null) return;
        spinner.interrupt();
        spinner = null;
        err.print("\r" + " ".repeat(message.length() + 2) + "\r");
        err.flush();
    }
}
