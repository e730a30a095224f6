package io.llmcp.store;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bar at full size: a 2 GiB blob ingests and reads back under -Xmx256m (about a minute; runs in mvn verify). */
class BoundedHeapIT {
    @TempDir
    Path dir;

    @Test
    void twoGibBlobUnder256MiBHeap() throws Exception {
        BoundedHeapTest.ingestAndReadBack(dir, "256m", 2L << 30);
    }
}
