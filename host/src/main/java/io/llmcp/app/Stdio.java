package io.llmcp.app;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;

/**
 * Takes the real stdout away from {@code System.out} before anything else runs. In native-host mode the
 * protocol is the only writer; stray library prints land on stderr instead of corrupting a frame.
 */
public final class Stdio {
    private static final OutputStream REAL_STDOUT = new FileOutputStream(FileDescriptor.out);
    private static final InputStream REAL_STDIN = new FileInputStream(FileDescriptor.in);

    private Stdio() {
    }

    /** Call first thing in main. */
    public static void guardStdout() {
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true));
    }

    public static OutputStream stdout() {
        return REAL_STDOUT;
    }

    public static InputStream stdin() {
        return REAL_STDIN;
    }
}
