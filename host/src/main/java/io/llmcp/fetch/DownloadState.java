package io.llmcp.fetch;

import java.util.Locale;

/** A file's state in a progress event; its wire name is the lower-case constant name. */
public enum DownloadState {
    QUEUED, DOWNLOADING, VERIFYING, DONE, LINKED, FAILED, CANCELLED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean isFinal() {
        return this == DONE || this == LINKED || this == FAILED || this == CANCELLED;
    }
}
