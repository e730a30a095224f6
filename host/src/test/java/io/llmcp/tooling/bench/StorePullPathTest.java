package io.llmcp.tooling.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.store.StoreOptions;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store file after a pull-shaped ingest (small files first, parallel ranged parts, cancelled and resumed). */
class StorePullPathTest {
    @TempDir
    Path dir;

    @Test
    void storeFileStaysWithinFivePercentOfItsChunksAfterPullAndAfterRmAndCompact() throws Exception {
        ObjectNode r = new StorePullPath(dir, 64L << 20, StoreOptions.defaults(), System.out::println).run();
        assertThat(r.path("afterPull").path("storedBytes").asLong()).as("nothing deduplicated away").isGreaterThan(64L << 20);
        assertThat(r.path("afterPull").path("ratio").asDouble()).as(r.toString()).isLessThanOrEqualTo(1.05);
        assertThat(r.path("afterSecondPull").path("ratio").asDouble()).as(r.toString()).isLessThanOrEqualTo(1.05);
        assertThat(r.path("afterRmCompact").path("storedBytes").asLong()).isBetween(32L << 20, 33L << 20);
        assertThat(r.path("afterRmCompact").path("ratio").asDouble()).as(r.toString()).isLessThanOrEqualTo(1.05);
    }
}
