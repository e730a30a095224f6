/**
 * Downloads: one shared OkHttpClient ({@link io.llmcp.fetch.FetchClient}: user agent, retries, rate limit, then per
 * hop URL policy and auth) and a {@link io.llmcp.fetch.Downloader} that moves one file into a
 * {@link io.llmcp.fetch.DownloadTarget}.
 *
 * <p>The data flow of a pull: {@code ModelConfig} names the files; {@code Downloader.head} asks the server for size,
 * SHA-256 and revision ({@link io.llmcp.fetch.RemoteFile}); {@code PullPlanner} decides link (the store holds that
 * SHA-256) or download; {@code Downloader.download} resumes from what the target holds, reports
 * {@link io.llmcp.fetch.ProgressEvent}s to a listener (what the caller makes of them — protocol notifications, a
 * progress line — is the caller's business) and ends with a verified file or a coded FetchException.
 *
 * <p>Settings: the {@code "fetch"} section of the host's config.json ({@link io.llmcp.fetch.FetchSettings}).
 */
package io.llmcp.fetch;
