package io.llmcp.install;

import io.llmcp.app.DataDir.Os;
import io.llmcp.inference.JvmTuning;
import io.llmcp.inference.MallocTuning;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The scripts that start the jar: {@code llmcp-host} for browsers and {@code llmcp} for people. They pin the Java
 * that ran the installer by absolute path, because a browser starts native hosts with a minimal environment (no
 * shell profile, often no useful PATH); {@code JAVA_HOME} and then {@code java} on PATH are fallbacks for when that
 * Java was removed. Browser arguments pass through untouched: the jar recognises the launch from them.
 */
public final class Launchers {
    private Launchers() {
    }

    /**
     * @param llmcpHome the data dir to export, or null when the installer ran with the OS default (then the jar
     *                  resolves the same default itself)
     */
    public static byte[] render(Os os, String purpose, Path java, Path jar, Path llmcpHome) {
        String text = os == Os.WINDOWS ? batch(purpose, java, jar, llmcpHome) : sh(purpose, java, jar, llmcpHome);
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String sh(String purpose, Path java, Path jar, Path llmcpHome) {
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/sh\n");
        s.append("# LLM Control Panel ").append(purpose).append(".\n");
        s.append("# Written by 'llmcp install'; 'llmcp uninstall' removes it. Re-run the installer instead of editing.\n");
        if (llmcpHome != null) {
            s.append("LLMCP_HOME=").append(shQuote(llmcpHome.toString())).append("\n");
            s.append("export LLMCP_HOME\n");
        }
        s.append("JAVA=").append(shQuote(java.toString())).append("\n");
        s.append("if [ ! -x \"$JAVA\" ]; then\n");
        s.append("  if [ -n \"${JAVA_HOME:-}\" ] && [ -x \"$JAVA_HOME/bin/java\" ]; then JAVA=\"$JAVA_HOME/bin/java\"; else JAVA=java; fi\n");
        s.append("fi\n");
        s.append("# A fixed glibc mmap threshold keeps freed model-loading buffers from staying in the process (see MallocTuning).\n");
        s.append(MallocTuning.VARIABLE).append("=\"${").append(MallocTuning.VARIABLE).append(":-").append(MallocTuning.THRESHOLD_BYTES)
                .append("}\"\n");
        s.append("export ").append(MallocTuning.VARIABLE).append("\n");
        s.append("# LLMCP_JAVA_OPTS (e.g. -Xmx2g), when set in the environment the browser inherited, goes to the JVM instead\n");
        s.append("# of the default: a small heap that grows only as needed beside the native models (see JvmTuning).\n");
        s.append("exec \"$JAVA\" ${LLMCP_JAVA_OPTS:-").append(JvmTuning.OPTIONS_TEXT).append("} -jar ").append(shQuote(jar.toString())).append(" \"$@\"\n");
        return s.toString();
    }

    static String batch(String purpose, Path java, Path jar, Path llmcpHome) {
        StringBuilder s = new StringBuilder();
        s.append("@echo off\r\n");
        s.append("rem LLM Control Panel ").append(purpose).append(".\r\n");
        s.append("rem Written by 'llmcp install'; 'llmcp uninstall' removes it. Re-run the installer instead of editing.\r\n");
        s.append("setlocal\r\n");
        if (llmcpHome != null) s.append("set \"LLMCP_HOME=").append(batchEscape(llmcpHome.toString())).append("\"\r\n");
        s.append("set \"LLMCP_JAVA=").append(batchEscape(java.toString())).append("\"\r\n");
        s.append("if not exist \"%LLMCP_JAVA%\" if defined JAVA_HOME set \"LLMCP_JAVA=%JAVA_HOME%\\bin\\java.exe\"\r\n");
        s.append("if not exist \"%LLMCP_JAVA%\" set \"LLMCP_JAVA=java\"\r\n");
        s.append("if not defined LLMCP_JAVA_OPTS set \"LLMCP_JAVA_OPTS=").append(JvmTuning.OPTIONS_TEXT).append("\"\r\n");
        s.append("\"%LLMCP_JAVA%\" %LLMCP_JAVA_OPTS% -jar \"").append(batchEscape(jar.toString())).append("\" %*\r\n");
        return s.toString();
    }

    /** POSIX single quotes: everything literal; a quote becomes {@code '\''}. */
    static String shQuote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Inside double quotes cmd.exe still expands {@code %VAR%}; a literal percent is {@code %%}. */
    static String batchEscape(String s) {
        return s.replace("%", "%%");
    }
}
