package io.llmcp.install;

/**
 * One doctor finding.
 *
 * @param status {@code ok}, {@code warn} (works, but worth fixing) or {@code fail} (broken)
 * @param fix    what to do about it; empty when ok
 */
public record DoctorCheck(String name, String status, String detail, String fix) {
    public static DoctorCheck ok(String name, String detail) {
        return new DoctorCheck(name, "ok", detail, "");
    }

    public static DoctorCheck warn(String name, String detail, String fix) {
        return new DoctorCheck(name, "warn", detail, fix);
    }

    public static DoctorCheck fail(String name, String detail, String fix) {
        return new DoctorCheck(name, "fail", detail, fix);
    }

    public boolean failed() {
        return status.equals("fail");
    }
}
