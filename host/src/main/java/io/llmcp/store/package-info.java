/**
 * The model store: one H2 MVStore file ({@code <dataDir>/store.mv}) holding model files as content-addressed
 * 4 MiB chunks with a manifest per blob (named by its whole-file SHA-256), resumable ingests, and small JSON
 * values for {@code data.*}.
 *
 * <p>How the downloader uses it (one file of a pull):
 * <pre>{@code
 * BlobStore store = Stores.open(dataDir, storeSettings, configFile);  // once per process, by the composition root
 * ModelRegistry models = new ModelRegistry(store);
 * // zero-byte link when the server announces a SHA-256 (X-Linked-Etag, or an ETag that is one)
 * Optional<BlobInfo> have = store.findBlob(announcedSha);
 * if (have.isEmpty()) {
 *     try (PartialBlob part = store.openPartial(modelId + "/" + path)) {
 *         long from = part.committedBytes();            // resume point after a crash or a cancel
 *         // if from > 0: send "Range: bytes=from-" with "If-Range: part.etag()";
 *         // on 200 instead of 206: part.restart() and write from 0
 *         part.setSource(url, etag, contentLength);      // persisted for the next resume
 *         ... part.write(byteBuffer) for each buffer read from the body ...
 *         BlobInfo blob = part.finish(announcedShaOrNull, contentLengthOrMinus1);  // VERIFY_FAILED removes the data
 *     }                                                  // close() without finish keeps the committed progress
 * }
 * models.addFile(modelId, path, new ModelFile(blob.sha256(), blob.size(), url, etag, blob.fetchedAt()));
 * }</pre>
 * Put the record first ({@code models.putModel(ModelRecord.create(modelId, configJson))}) so its blobs are named
 * while the pull runs; mark it complete at the end ({@code withComplete(true)}) and call
 * {@code models.enforceQuota(modelId)}.
 *
 * <p>Inference: {@code store.readInto(sha, directBuffer)} (or {@code readRange} for files over 2 GiB),
 * {@code models.recordLoad(modelId)} when a session loads (never per request), and {@code models.setInUse(id -> sessions.isLoaded(id))} so the quota
 * never evicts a loaded model.
 */
package io.llmcp.store;
