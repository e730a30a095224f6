package io.llmcp.inference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
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
        int cut = expectedCut(text, stops, cuts);
        assertThat(s.stopped()).isEqualTo(cut < text.length());
        assertThat(streamed.toString()).isEqualTo(text.substring(0, cut)).isEqualTo(s.text());
    }

    /**
     * Generation stops at the first piece that completes a stop string (later text is never generated), and
     * the text is cut where the earliest stop string in what has arrived by then begins. Not simply the
     * earliest stop string in the whole text: with stops "c" and "bcb", "b","c","b" stops at "c" ("bcb" is
     * never completed), so the stream is "b".
     */
    private static int expectedCut(String text, List<String> stops, List<Integer> cuts) {
        int end = 0;
        for (int i = 0; end < text.length(); i++) {
            end = Math.min(text.length(), end + (i < cuts.size() ? cuts.get(i) : 1));
            String arrived = text.substring(0, end);
            int cut = -1;
            for (String stop : stops) {
                int at = arrived.indexOf(stop);
                if (at >= 0 && (cut < 0 || at < cut)) cut = at;
            }
            if (cut >= 0) return cut;
        }
        return text.length();
    }

    @Example
    void theFirstStopStringToCompleteEndsTheStream() {
        StopStrings s = new StopStrings(List.of("c", "bcb"));
        StringBuilder streamed = new StringBuilder();
        for (String piece : new String[]{"b", "c", "b"}) streamed.append(s.accept(piece));
        assertThat(s.stopped()).isTrue();
        assertThat(streamed.toString()).isEqualTo("b").isEqualTo(s.text());
    }
}
