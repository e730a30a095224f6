package io.llmcp.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/** SHA-256 helpers: blobs are named by the lower-case hex of their whole-file digest. */
public final class Hashes {
    private static final HexFormat HEX = HexFormat.of();

    private Hashes() {
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hex(byte[] b) {
        return HEX.formatHex(b);
    }

    /** Lower-cases and checks a caller's SHA-256; -32602 naming {@code field} when it is not 64 hex digits. */
    public static String normalize(String sha256, String field) {
        String s = sha256 == null ? "" : sha256.trim().toLowerCase(Locale.ROOT);
        if (s.length() != 64 || !s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
            throw StoreException.invalidInput(field, "must be a SHA-256 as 64 hex digits");
        }
        return s;
    }

    /** True when {@code s} looks like a SHA-256 hex string (e.g. an ETag a server uses as one). */
    public static boolean isSha256(String s) {
        if (s == null) return false;
        String t = s.trim();
        return t.length() == 64 && t.chars().allMatch(c -> Character.digit(c, 16) >= 0);
    }
}
