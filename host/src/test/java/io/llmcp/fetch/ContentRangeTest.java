package io.llmcp.fetch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContentRangeTest {
    @Test
    void parsesTheForms() {
        assertThat(ContentRange.parse("bytes 0-99/1000")).isEqualTo(new ContentRange(0, 99, 1000));
        assertThat(ContentRange.parse("bytes 100-199/*")).isEqualTo(new ContentRange(100, 199, -1));
        assertThat(ContentRange.parse("bytes */1000")).isEqualTo(new ContentRange(-1, -1, 1000));
        assertThat(ContentRange.parse("bytes 5-4/10")).isNull();
        assertThat(ContentRange.parse("bytes 0-10/10")).isNull();
        assertThat(ContentRange.parse("items 0-1/2")).isNull();
        assertThat(ContentRange.parse("bytes x-1/2")).isNull();
        assertThat(ContentRange.parse(null)).isNull();
    }
}
