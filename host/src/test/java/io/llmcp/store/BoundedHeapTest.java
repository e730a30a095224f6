package io.llmcp.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A blob three times the heap ingests and streams back in a child JVM with a small -Xmx: the blob is never on the
 * heap. The full-size check (2 GiB under -Xmx256m) is {@code BoundedHeapIT}; the bench reports peak heap too.
 */
class BoundedHeapTest {
    @TempDir
    Path dir;

    static void ingestAndReadBack(Path dir, String xmx, long size) throws Exception {
        Path err = dir.resolve("heap.err");
        try (ChildJvm child = ChildJvm.start(xmx, err, "heap", dir.resolve("store.mv").toString(), Long.toString(size))) {
            String line = child.next();
            assertThat(child.process.waitFor()).as(Files.readString(err)).isZero();
            assertThat(line).as(Files.readString(err)).startsWith("ok ");
            String[] f = line.split(" ");
            assertThat(f[2]).as("read-back hash").isEqualTo(f[1]);
            assertThat(Long.parseLong(f[3])).as("bytes read back").isEqualTo(size);
            assertThat(f[1]).isEqualTo(CrashSafetyTest.expectedSha(7, size));
            System.out.printf("heap check: %d MiB under -Xmx%s, peak heap %s MiB, ingest %s MB/s, read %s MB/s%n",
                    size >> 20, xmx, f[4], f[5], f[6]);
        }
    }

    @Test
    void blobThreeTimesTheHeapIngestsAndReadsBack() throws Exception {
        ingestAndReadBack(dir, "128m", 384L << 20);
    }
}
