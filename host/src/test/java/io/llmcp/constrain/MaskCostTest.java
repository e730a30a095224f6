package io.llmcp.constrain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The masking cost on a vocabulary the size of a real model's (151,646 pieces, like Qwen2.5's), walked along a
 * random valid answer: prints ms per step (the number docs/PROTOCOL.md quotes) and keeps it bounded.
 */
class MaskCostTest {
    @Test
    void maskCostOnALargeVocabulary() {
        Random random = new Random(3);
        List<String> texts = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        texts.add(null); // end token
        for (char c = 0x20; c < 0x7f; c++) if (seen.add(String.valueOf(c))) texts.add(String.valueOf(c));
        String letters = "etaoinshrdlucmfwypvbgkqjxz";
        String punct = "{}[]\":,.-!?'()0123456789_/\\";
        while (texts.size() < 151_646) {
            StringBuilder b = new StringBuilder();
            int kind = random.nextInt(10);
            if (kind < 6) {
                if (random.nextBoolean()) b.append(' ');
                int n = 2 + random.nextInt(9);
                for (int i = 0; i < n; i++) b.append(letters.charAt(Math.min(25, (int) Math.abs(random.nextGaussian() * 8))));
                if (random.nextInt(4) == 0) b.setCharAt(b.charAt(0) == ' ' ? 1 : 0, Character.toUpperCase(b.charAt(b.charAt(0) == ' ' ? 1 : 0)));
            } else if (kind < 8) {
                int n = 1 + random.nextInt(4);
                for (int i = 0; i < n; i++) b.append(punct.charAt(random.nextInt(punct.length())));
            } else {
                int n = 1 + random.nextInt(3);
                for (int i = 0; i < n; i++) b.append((char) (0x4e00 + random.nextInt(2000)));
            }
            if (seen.add(b.toString())) texts.add(b.toString());
        }
        long t0 = System.nanoTime();
        TokenVocabulary vocab = TokenVocabulary.of(texts);
        double trieMs = (System.nanoTime() - t0) / 1e6;
        JsonNode schema = Schemas.all().get(2);
        double worst = 0;
        double total = 0;
        int steps = 0;
        for (int run = 0; run < 3; run++) {
            GrammarConstraint c = new GrammarConstraint(JsonSchemaCompiler.compile(schema, "s"), vocab, Set.of(0L));
            float[] logits = new float[vocab.size()];
            for (int left = 60; left > 0; left--) {
                java.util.Arrays.fill(logits, 0f);
                long s = System.nanoTime();
                c.mask(logits, left);
                double ms = (System.nanoTime() - s) / 1e6;
                if (run > 0) {
                    worst = Math.max(worst, ms);
                    total += ms;
                    steps++;
                }
                List<Integer> ok = new ArrayList<>();
                for (int i = 0; i < logits.length; i++) if (logits[i] == 0f) ok.add(i);
                int pick = ok.get(random.nextInt(ok.size()));
                c.accept(pick);
                if (pick == 0) break;
            }
        }
        // A model that agrees with the grammar: its top choice is allowed, so pick() checks one token per step.
        GrammarConstraint agree = new GrammarConstraint(JsonSchemaCompiler.compile(schema, "s"), vocab, Set.of(0L));
        GrammarConstraint probe = new GrammarConstraint(JsonSchemaCompiler.compile(schema, "s"), vocab, Set.of(0L));
        float[] logits = new float[vocab.size()];
        for (int left = 60; left > 0; left--) {
            java.util.Arrays.fill(logits, 0f);
            probe.mask(logits, left);
            List<Integer> ok = new ArrayList<>();
            for (int i = 0; i < logits.length; i++) if (logits[i] == 0f) ok.add(i);
            int want = ok.get(random.nextInt(ok.size()));
            for (int i = 0; i < logits.length; i++) logits[i] = (float) random.nextGaussian();
            logits[want] = 20f;
            int got = agree.pick(logits, left, l -> {
                int b = 0;
                for (int i = 1; i < l.length; i++) if (l[i] > l[b]) b = i;
                return b;
            });
            assertThat(got).isEqualTo(want);
            agree.accept(got);
            probe.accept(got);
            if (got == 0) break;
        }
        System.out.printf("mask cost, vocab %d: trie built in %.0f ms; full mask %.2f ms/step average, %.2f ms worst (%d steps);"
                + " check when the model's choice is allowed %.3f ms/step (%d full masks)%n",
                vocab.size(), trieMs, total / steps, worst, steps, agree.maskMillisPerStep(), agree.fullMasks());
        assertThat(total / steps).isLessThan(500);
    }
}
