package io.llmcp.tooling.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** File chores the loading benchmarks share. */
final class BenchFiles {
    private BenchFiles() {
    }

    /**
     * Reads every file under {@code dir} once (and flushes it), so a timed load finds them clean in the page cache:
     * this machine's kernel reclaims idle file pages within seconds, which made whichever file was read least
     * recently come from disk and look 1.4x slower.
     */
    static void warm(Path dir) throws IOException {
        ByteBuffer scratch = ByteBuffer.allocateDirect(1 << 20);
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                try (FileChannel ch = FileChannel.open(f)) {
                    while (ch.read(scratch.clear()) > 0) {
                        // only the kernel's copy matters
                    }
                    // Files just written (the generated models, the stores) must not be written back during a timed load.
                    ch.force(false);
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) Files.deleteIfExists(p);
        }
    }
}
