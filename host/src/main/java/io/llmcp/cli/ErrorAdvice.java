package io.llmcp.cli;

import io.llmcp.protocol.ErrorCodes;
import io.llmcp.protocol.RpcException;

/** The command that fixes a host error, printed under the error line (null when the message already says it). */
final class ErrorAdvice {
    private ErrorAdvice() {
    }

    static String fix(RpcException e) {
        String msg = String.valueOf(e.getMessage());
        if (msg.contains("\n")) return null; // the message carries its own advice (e.g. "did you mean")
        // a remote provider's failure says how to fix that remote; the advice below is about downloads and the store
        if (e.data() != null && e.data().has("remote")) return null;
        return switch (e.code()) {
            case ErrorCodes.NOT_FOUND -> msg.contains("model") ? "see what you have: llmcp list" : null;
            case ErrorCodes.QUOTA_EXCEEDED -> "raise the limit: llmcp quota 50GB  (or free space: llmcp rm <model>; see llmcp stats)";
            case ErrorCodes.DISK_FULL -> "free disk space, or remove models: llmcp list, then llmcp rm <model>";
            case ErrorCodes.HTTP_UNAUTHORIZED -> "a gated repository needs your token: llmcp config set fetch.token <hf_token>";
            case ErrorCodes.HTTP_NOT_FOUND -> "check the repository URL and the file names (--model-file, --config-file)";
            case ErrorCodes.STORE_UNAVAILABLE -> "another llmcp holds the store: llmcp engine status  (or llmcp engine stop)";
            case ErrorCodes.STORE_CORRUPT, ErrorCodes.VERIFY_FAILED -> "check the store: llmcp verify <model>; then llmcp gc";
            case ErrorCodes.ENGINE_UNAVAILABLE -> "run it again (a new engine starts), or check: llmcp doctor";
            case ErrorCodes.MODEL_INVALID -> msg.contains("no chat template") ? "use a plain completion: llmcp run <model> --raw" : null;
            default -> null;
        };
    }
}
