package io.moezoo.recipes.language;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The cut GPT-2 BPE against a brute-force byte-level BPE written here from the algorithm: GPT-2's
 * pre-tokenisation regex, bytes mapped to GPT-2's printable symbols, then the lowest-ranked
 * adjacent pair merged until no kept merge applies.
 */
class TruncatedGpt2BpeTest {

    private static final Pattern GPT2_SPLIT =
            Pattern.compile(
                    "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");

    private static final String TEXT =
            "The Fulton County Grand Jury said Friday an investigation of Atlanta's recent"
                    + " primary election produced \"no evidence\" that any irregularities took"
                    + " place.  It's 1961, isn't it?\n\nNaïve café-goers paid $3.50 -- twice.";

    /** GPT-2's bytes_to_unicode: printable bytes map to themselves, the rest to 256 + n. */
    private static char[] byteSymbols() {
        char[] map = new char[256];
        int n = 0;
        for (int b = 0; b < 256; b++) {
            boolean printable =
                    (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            map[b] = printable ? (char) b : (char) (256 + n++);
        }
        return map;
    }

    private static long[] bruteForce(String text, JsonObject tokenizer) {
        JsonObject model = tokenizer.getAsJsonObject("model");
        Map<String, Integer> rank = new HashMap<>();
        JsonArray merges = model.getAsJsonArray("merges");
        for (int r = 0; r < merges.size(); r++) {
            rank.put(merges.get(r).getAsString(), r);
        }
        JsonObject vocab = model.getAsJsonObject("vocab");
        char[] symbol = byteSymbols();
        List<Long> ids = new ArrayList<>();
        Matcher m = GPT2_SPLIT.matcher(text);
        while (m.find()) {
            List<String> parts = new ArrayList<>();
            for (byte b : m.group().getBytes(StandardCharsets.UTF_8)) {
                parts.add(String.valueOf(symbol[b & 0xff]));
            }
            while (true) {
                int best = -1;
                int bestRank = Integer.MAX_VALUE;
                for (int i = 0; i + 1 < parts.size(); i++) {
                    Integer r = rank.get(parts.get(i) + " " + parts.get(i + 1));
                    if (r != null && r < bestRank) {
                        bestRank = r;
                        best = i;
                    }
                }
                if (best < 0) {
                    break;
                }
                parts.set(best, parts.get(best) + parts.remove(best + 1));
            }
            for (String p : parts) {
                ids.add(vocab.get(p).getAsLong());
            }
        }
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    @Test
    void encodesLikeBruteForceBpeAtEveryCut() throws IOException {
        for (int merges : new int[] {0, 37, 1_000, 8_000}) {
            JsonObject json =
                    JsonParser.parseString(TruncatedGpt2Bpe.tokenizerJson(merges))
                            .getAsJsonObject();
            assertEquals(
                    TruncatedGpt2Bpe.vocabularySize(merges),
                    json.getAsJsonObject("model").getAsJsonObject("vocab").size());
            try (HuggingFaceTokenizer t = TruncatedGpt2Bpe.load(merges)) {
                long[] ids = t.encode(TEXT).getIds();
                assertArrayEquals(bruteForce(TEXT, json), ids, "merges " + merges);
                for (long id : ids) {
                    assertEquals(true, id < 256 + merges, "ids below 256 + M");
                }
                assertEquals(TEXT, t.decode(ids), "decoding restores the text");
                long[] eot = t.encode("a<|endoftext|>").getIds();
                assertEquals(TruncatedGpt2Bpe.endOfText(merges), eot[eot.length - 1]);
            }
        }
    }

    @Test
    void allMergesIsGpt2() throws IOException {
        try (HuggingFaceTokenizer cut = TruncatedGpt2Bpe.load(TruncatedGpt2Bpe.GPT2_MERGES);
                HuggingFaceTokenizer gpt2 = BrownLanguageModels.gpt2Tokenizer()) {
            assertArrayEquals(gpt2.encode(TEXT).getIds(), cut.encode(TEXT).getIds());
            assertEquals(BrownLanguageModels.END_OF_TEXT, TruncatedGpt2Bpe.endOfText(50_000));
        }
    }

    @Test
    void rejectsCutsOutsideGpt2() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> TruncatedGpt2Bpe.tokenizerJson(50_001));
        assertEquals(true, e.getMessage().contains("merges"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TruncatedGpt2Bpe.tokenizerJson(-1));
    }
}
