package io.llmcp.fetch;

import io.llmcp.failure.DomainException;


/**
 * One progress report for one file.
 *
 * @param bytesTotal -1 while unknown
 * @param etaSeconds -1 while unknown
 * @param error set only in state FAILED
 */
public record ProgressEvent(String path, DownloadState state, long bytesDone, long bytesTotal, long bytesPerSecond,
                            long etaSeconds, DomainException error) {
}
