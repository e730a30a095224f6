package io.llmcp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.llmcp.protocol.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** "Did you mean", the quota's dry run, and the decimal sizes the CLI shares with the panel. */
class ModelHintsTest {
    @Test
    void levenshtein() {
        assertThat(ModelHints.distance("kitten", "sitting")).isEqualTo(3);
        assertThat(ModelHints.distance("", "abc")).isEqualTo(3);
        assertThat(ModelHints.distance("Qwen", "qwen")).isZero();
    }

    @Test
    void suggestsTheNearestIdsOnly() {
        List<String> known = List.of("smollm2-135m-instruct", "smollm2-360m-instruct", "qwen2.5-0.5b-instruct", "all-minilm-l6-v2");
        assertThat(ModelHints.suggestions("smollm2-135m-instrct", known)).first().isEqualTo("smollm2-135m-instruct");
        assertThat(ModelHints.suggestions("qwen", known)).containsExactly("qwen2.5-0.5b-instruct");
        assertThat(ModelHints.suggestions("llama-3-8b", known)).isEmpty();
    }

    @Test
    void quotaDryRunEvictsLeastRecentlyUsedUnpinnedUntilItFits() {
        JsonNode stats = Json.object().put("storedBytes", 900);
        var models = ((com.fasterxml.jackson.databind.node.ObjectNode) stats).putArray("models");
        models.addObject().put("modelId", "old-pinned").put("size", 300).put("lastUsed", 1).put("pinned", true);
        models.addObject().put("modelId", "old").put("size", 300).put("lastUsed", 2).put("pinned", false);
        models.addObject().put("modelId", "new").put("size", 300).put("lastUsed", 3).put("pinned", false);
        assertThat(QuotaCommand.wouldEvict(stats, 600)).containsExactly("old");
        assertThat(QuotaCommand.wouldEvict(stats, 100)).containsExactly("old", "new");
        assertThat(QuotaCommand.wouldEvict(stats, 1000)).isEmpty();
        assertThat(QuotaCommand.wouldEvict(stats, 0)).as("0 = no quota").isEmpty();
    }

    @Test
    void sizesAreDecimalAsInThePanel() {
        assertThat(Sizes.bytes(0)).isEqualTo("0 B");
        assertThat(Sizes.bytes(205_000_000)).isEqualTo("205 MB");
        assertThat(Sizes.bytes(1_680_000_000L)).isEqualTo("1.68 GB");
        assertThat(Sizes.bytes(12_500_000)).isEqualTo("12.5 MB");
        assertThat(Sizes.parse("20GB")).isEqualTo(20_000_000_000L);
        assertThat(Sizes.parse("500MB")).isEqualTo(500_000_000L);
        assertThat(Sizes.parse("1GiB")).isEqualTo(1L << 30);
        assertThat(Sizes.parse("512m")).isEqualTo(512L << 20);
        assertThat(Sizes.parse("1048576")).isEqualTo(1_048_576L);
    }
}
