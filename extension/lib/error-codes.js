/**
 * The host's JSON-RPC error codes, under the names of host/src/main/java/io/llmcp/protocol/ErrorCodes.java.
 * GENERATED from that file by tools/sync-error-codes.js: do not edit, run `node tools/sync-error-codes.js`.
 * test/error-codes.test.js (and the host's ErrorCodesMirrorTest) fail when this, the Java class or the table
 * in docs/PROTOCOL.md drift apart.
 */
export const ErrorCodes = Object.freeze({
  PARSE_ERROR:        -32700,
  INVALID_REQUEST:    -32600,
  METHOD_NOT_FOUND:   -32601,
  INVALID_PARAMS:     -32602,
  INTERNAL_ERROR:     -32603,
  CANCELLED:          -32800,
  FRAME_TOO_LARGE:    -32001,
  ORIGIN_REFUSED:     -32002,
  NOT_FOUND:          -32004,
  STORE_UNAVAILABLE:  -32010,
  STORE_CORRUPT:      -32011,
  QUOTA_EXCEEDED:     -32012,
  DISK_FULL:          -32013,
  DOWNLOAD_FAILED:    -32020,
  HTTP_UNAUTHORIZED:  -32021,
  HTTP_NOT_FOUND:     -32022,
  VERIFY_FAILED:      -32023,
  URL_REFUSED:        -32024,
  MODEL_INVALID:      -32030,
  INFERENCE_FAILED:   -32031,
  TEMPLATE_ERROR:     -32032,
  ENGINE_UNAVAILABLE: -32040,
  BUSY:               -32050,
});
