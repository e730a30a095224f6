package io.llmcp.fetch;

/** Receives a file's progress; called from download threads, must not block. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = e -> { };

    void onProgress(ProgressEvent event);
}
