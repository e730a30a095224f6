package io.llmcp.tooling.testmodel;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.llmcp.protocol.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A byte-level BPE tokenizer in the Hugging Face {@code tokenizer.json} format, trained deterministically on a
 * small built-in text: special tokens first (ids 0..2, as SmolLM2 has them), then the 256 byte symbols, then the
 * merges. Every byte sequence is encodable, so any text round-trips; the text includes CJK and emoji so some
 * merges hold partial UTF-8 characters, which is what the streaming detokenizer must cope with.
 */
public final class ByteLevelBpe {
    public static final String END_OF_TEXT = "<|endoftext|>";
    public static final String IM_START = "<|im_start|>";
    public static final String IM_END = "<|im_end|>";
    public static final List<String> SPECIALS = List.of(END_OF_TEXT, IM_START, IM_END);

    /** The GPT-2 pre-tokenization pattern the ByteLevel pre-tokenizer applies. */
    private static final Pattern WORDS = Pattern.compile(
            "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

    private static final String TRAINING_TEXT = String.join("\n",
            "The quick brown fox jumps over the lazy dog. The dog sleeps in the sun.",
            "Hello world! Hello there, how are you today? I am fine, thank you.",
            "A language model predicts the next token from the tokens that came before it.",
            "The user asks a question and the assistant answers it with care and precision.",
            "Local models run on your own computer, without sending your words to a server.",
            "你好，世界！今天天气很好。我们一起学习语言模型。",
            "こんにちは世界。日本語のテキストです。",
            "Emoji test: 🎉 🚀 😀 👍 ❤️ 🎉🎉 🚀🚀",
            "Numbers 0 1 2 3 4 5 6 7 8 9 10 100 1000 2024 3.14159",
            "system user assistant <tool> </tool> {\"name\": \"value\"}");

    private final List<String> merges;
    private final Map<String, Integer> vocab;

    private ByteLevelBpe(List<String> merges, Map<String, Integer> vocab) {
        this.merges = merges;
        this.vocab = vocab;
    }

    /** Trains up to {@code maxMerges} merges (each seen at least twice), ties broken by the pair's text. */
    public static ByteLevelBpe train(int maxMerges) {
        String[] byteSymbols = byteSymbols();
        Map<List<String>, Integer> words = new LinkedHashMap<>();
        Matcher m = WORDS.matcher(TRAINING_TEXT);
        while (m.find()) {
            List<String> symbols = new ArrayList<>();
            for (byte b : m.group().getBytes(StandardCharsets.UTF_8)) symbols.add(byteSymbols[b & 0xFF]);
            words.merge(symbols, 1, Integer::sum);
        }
        Map<String, Integer> vocab = new LinkedHashMap<>();
        for (String s : SPECIALS) vocab.put(s, vocab.size());
        for (String s : byteSymbols) vocab.put(s, vocab.size());
        List<String> merges = new ArrayList<>();
        while (merges.size() < maxMerges) {
            TreeMap<String, Integer> pairs = new TreeMap<>();
            for (Map.Entry<List<String>, Integer> w : words.entrySet()) {
                List<String> s = w.getKey();
                for (int i = 0; i + 1 < s.size(); i++) pairs.merge(s.get(i) + " " + s.get(i + 1), w.getValue(), Integer::sum);
            }
            String best = null;
            int bestCount = 1;
            for (Map.Entry<String, Integer> p : pairs.entrySet()) {
                if (p.getValue() > bestCount) {
                    best = p.getKey();
                    bestCount = p.getValue();
                }
            }
            if (best == null) break;
            String[] ab = best.split(" ", 2);
            String joined = ab[0] + ab[1];
            if (vocab.containsKey(joined)) break;
            merges.add(best);
            vocab.put(joined, vocab.size());
            Map<List<String>, Integer> next = new LinkedHashMap<>();
            for (Map.Entry<List<String>, Integer> w : words.entrySet()) {
                next.merge(applyMerge(w.getKey(), ab[0], ab[1]), w.getValue(), Integer::sum);
            }
            words = next;
        }
        return new ByteLevelBpe(merges, vocab);
    }

    private static List<String> applyMerge(List<String> s, String a, String b) {
        List<String> out = new ArrayList<>(s.size());
        for (int i = 0; i < s.size(); i++) {
            if (i + 1 < s.size() && s.get(i).equals(a) && s.get(i + 1).equals(b)) {
                out.add(a + b);
                i++;
            } else {
                out.add(s.get(i));
            }
        }
        return out;
    }

    /** GPT-2's reversible byte-to-character map: printable bytes stand for themselves, others move above 255. */
    static String[] byteSymbols() {
        String[] out = new String[256];
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            out[b] = String.valueOf((char) (printable ? b : next++));
        }
        return out;
    }

    /** Size of the trained vocabulary (specials, bytes, merges). */
    public int size() {
        return vocab.size();
    }

    /** tokenizer.json; when {@code paddedVocab} exceeds {@link #size()}, reserved tokens fill the gap. */
    public ObjectNode tokenizerJson(int paddedVocab) {
        return tokenizerJson(paddedVocab, List.of(), List.of(), null);
    }

    /**
     * tokenizer.json with more added tokens after the trained vocabulary: {@code specials} (special, never shown
     * in text) then {@code plainAdded} (added but not special, like Qwen3's {@code <think>}), then reserved ones up to
     * {@code paddedVocab}. With {@code bos} set, the post-processor is a TemplateProcessing that puts that token
     * before every sequence encoded with special tokens (as Gemma's and Mistral's tokenizers do).
     */
    public ObjectNode tokenizerJson(int paddedVocab, List<String> specials, List<String> plainAdded, String bos) {
        ObjectNode root = Json.object();
        root.put("version", "1.0");
        root.putNull("truncation");
        root.putNull("padding");
        ArrayNode added = root.putArray("added_tokens");
        for (String s : SPECIALS) addedToken(added, vocab.get(s), s, true);
        int next = size();
        for (String s : specials) addedToken(added, next++, s, true);
        for (String s : plainAdded) addedToken(added, next++, s, false);
        for (int id = next; id < paddedVocab; id++) addedToken(added, id, "<|reserved_" + id + "|>", false);
        root.putNull("normalizer");
        root.set("pre_tokenizer", byteLevel(false, true));
        root.set("post_processor", bos == null ? byteLevel(true, false) : bosTemplate(bos, addedId(root, bos)));
        root.set("decoder", byteLevel(true, true));
        ObjectNode model = root.putObject("model");
        model.put("type", "BPE");
        model.putNull("dropout");
        model.putNull("unk_token");
        model.putNull("continuing_subword_prefix");
        model.putNull("end_of_word_suffix");
        model.put("fuse_unk", false);
        model.put("byte_fallback", false);
        model.put("ignore_merges", false);
        ObjectNode v = model.putObject("vocab");
        vocab.forEach(v::put);
        ArrayNode m = model.putArray("merges");
        merges.forEach(m::add);
        return root;
    }

    private static int addedId(ObjectNode root, String content) {
        for (var t : root.get("added_tokens")) if (t.get("content").asText().equals(content)) return t.get("id").asInt();
        throw new IllegalArgumentException("no added token " + content);
    }

    private static ObjectNode bosTemplate(String bos, int id) {
        ObjectNode n = Json.object();
        n.put("type", "TemplateProcessing");
        ArrayNode single = n.putArray("single");
        single.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 0);
        single.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        ArrayNode pair = n.putArray("pair");
        pair.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 0);
        pair.addObject().putObject("Sequence").put("id", "A").put("type_id", 0);
        pair.addObject().putObject("SpecialToken").put("id", bos).put("type_id", 1);
        pair.addObject().putObject("Sequence").put("id", "B").put("type_id", 1);
        ObjectNode t = n.putObject("special_tokens").putObject(bos);
        t.put("id", bos);
        t.putArray("ids").add(id);
        t.putArray("tokens").add(bos);
        return n;
    }

    private static void addedToken(ArrayNode added, int id, String content, boolean special) {
        ObjectNode t = added.addObject();
        t.put("id", id);
        t.put("content", content);
        t.put("single_word", false);
        t.put("lstrip", false);
        t.put("rstrip", false);
        t.put("normalized", false);
        t.put("special", special);
    }

    private static ObjectNode byteLevel(boolean addPrefixSpace, boolean trimOffsets) {
        ObjectNode n = Json.object();
        n.put("type", "ByteLevel");
        n.put("add_prefix_space", addPrefixSpace);
        n.put("trim_offsets", trimOffsets);
        n.put("use_regex", true);
        return n;
    }

    List<String> merges() {
        return merges;
    }

    Map<String, Integer> vocabCopy() {
        return new HashMap<>(vocab);
    }
}
