package io.llmcp.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class StopStringsTest {
    @Provide
    Arbitrary<String> text() {
        return Arbitraries.strings().withChars("abc ").ofMaxLength(40);
    }

    @Provide
    Arbitrary<String> stop() {
        return Arbitraries.strings().withChars("abc ").ofMinLength(1).ofMaxLength(4);
    }

    /** However the text arrives in pieces, the stream equals the text cut before the first stop string. */
    @Property(tries = 300)
    void streamIsTheTextCutAtTheFirstStop(@ForAll("text") String text, @ForAll @Size(max = 3) List<@From("stop") String> stops,
                                          @ForAll @Size(max = 40) List<@IntRange(min = 1, max = 5) Integer> cuts) {
        StopStrings s = new StopStrings(stops);
        StringBuilder streamed = new StringBuilder();
        int pos = 0;
        for (int i = 0; pos < text.length(); i++) {
            int n = i < cuts.size() ? cuts.get(i) : 1;
            int end = Math.min(text.length(), pos + n);
            String piece = s.accept(text.substring(pos, end));
            for (String stop : stops) assertThat(streamed + piece).doesNotContain(stop);
            streamed.append(piece);
            pos = end;
            if (s.stopped()) break;
        }
        streamed.append(s.flush());
        int cut = text.length();
        for (String stop : stops) {
            int at = text.indexOf(stop);
            if (at >= 0) cut = Math.min(cut, at);
        }
        assertThat(s.stopped()).isEqualTo(cut < text.length());
        assertThat(streamed.toString()).isEqualTo(text.substring(0, cut)).isEqualTo(s.text());
    }
}
