package io.moezoo.recipes.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moezoo.recipes.data.DataSets;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Preference-pair construction on synthetic documents and on the real Brown corpus. */
class PreferencePairBuilderTest {

    private static final int PROMPT = 64;
    private static final int RESPONSE = 64;

    /** 20 documents of unique numbered words, so every passage can be located exactly. */
    private static List<BrownDocument> synthetic() {
        List<BrownDocument> docs = new ArrayList<>();
        String[] genres = {"news", "romance", "learned", "lore"};
        for (int d = 0; d < 20; d++) {
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < 400; w++) {
                text.append(w == 0 ? "" : " ").append(w % 7 == 3 ? "is" : "d" + d + "w" + w);
            }
            docs.add(
                    new BrownDocument(
                            String.format("f%02d", d), genres[d % 4], d, text.toString()));
        }
        return docs;
    }

    private static String docOf(List<BrownDocument> docs, String file) {
        return docs.stream().filter(d -> d.file().equals(file)).findFirst().orElseThrow().text();
    }

    private static List<String> sorted(String text) {
        List<String> w = new ArrayList<>(Arrays.asList(text.split(" ")));
        w.sort(null);
        return w;
    }

    @Test
    void pairsFollowTheirDimensionsAndStayInTheirSplit() {
        List<BrownDocument> docs = synthetic();
        PreferencePairBuilder builder = new PreferencePairBuilder(PROMPT, RESPONSE, 3);
        for (boolean heldOut : new boolean[] {false, true}) {
            List<RewardPair> pairs = builder.build(docs, heldOut, 7);
            Set<String> files = new HashSet<>();
            docs.stream().filter(d -> d.heldOut() == heldOut).forEach(d -> files.add(d.file()));
            assertEquals(files.size() * 4 * 3, pairs.size(), "3 pairs per file and dimension");
            for (RewardPair p : pairs) {
                assertTrue(files.contains(p.file()), "pair from the other split: " + p.file());
                String text = docOf(docs, p.file());
                assertTrue(
                        text.contains(p.prompt() + " " + p.chosen()),
                        "chosen is the true continuation");
                assertTrue(bytes(p.prompt()) <= PROMPT);
                assertTrue(bytes(p.chosen()) + 1 <= RESPONSE - PreferencePairBuilder.SLACK);
                assertTrue(bytes(p.rejected()) + 1 <= RESPONSE);
                assertNotEquals(p.chosen(), p.rejected());
                switch (p.dimension()) {
                    case FLUENCY:
                        assertEquals(
                                sorted(p.chosen()),
                                sorted(p.rejected()),
                                "a permutation of the words");
                        break;
                    case GRAMMATICALITY:
                        int diff =
                                Math.abs(
                                        p.chosen().split(" ").length
                                                - p.rejected().split(" ").length);
                        assertTrue(diff <= 2, "two local edits");
                        break;
                    case COHERENCE:
                        assertTrue(
                                text.contains(p.rejected() + " " + p.prompt()),
                                "the passage right before the prompt");
                        assertTrue(
                                Math.abs(bytes(p.rejected()) - bytes(p.chosen())) <= 12,
                                "length matched");
                        break;
                    case RELEVANCE:
                        String source = null;
                        for (BrownDocument d : docs) {
                            if (d.text().contains(p.rejected())) {
                                source = d.file();
                            }
                        }
                        assertTrue(source != null && !source.equals(p.file()), "from another file");
                        assertTrue(files.contains(source), "from the same split");
                        assertTrue(
                                Math.abs(bytes(p.rejected()) - bytes(p.chosen())) <= 12,
                                "length matched");
                        break;
                    default:
                        throw new AssertionError(p.dimension());
                }
            }
        }
    }

    @Test
    void deterministicGivenTheSeed() {
        List<BrownDocument> docs = synthetic();
        PreferencePairBuilder builder = new PreferencePairBuilder(PROMPT, RESPONSE, 2);
        assertEquals(builder.build(docs, false, 11), builder.build(docs, false, 11));
        assertNotEquals(builder.build(docs, false, 11), builder.build(docs, false, 12));
        // a file's pairs do not depend on the other files (except which file a relevance passage
        // comes from)
        List<RewardPair> all = builder.build(docs, false, 11);
        List<RewardPair> fewer = builder.build(docs.subList(0, 10), false, 11);
        for (RewardPair p : fewer) {
            if (p.dimension() != CapabilityDimension.RELEVANCE) {
                assertTrue(all.contains(p));
            }
        }
    }

    @Test
    void editsAndShufflesAreLocal() {
        java.util.Random rng = new java.util.Random(3);
        List<String> words = List.of("The", "cat", "is", "on", "a", "mat", "today");
        for (int i = 0; i < 50; i++) {
            String edited = PreferencePairBuilder.edited(words, rng);
            assertTrue(Math.abs(edited.split(" ").length - words.size()) <= 2);
            String shuffled = PreferencePairBuilder.shuffled(words, rng);
            assertNotEquals(String.join(" ", words), shuffled);
            assertEquals(sorted(String.join(" ", words)), sorted(shuffled));
        }
        assertEquals(null, PreferencePairBuilder.shuffled(List.of("a", "a", "a"), rng));
        assertThrows(IllegalArgumentException.class, () -> new PreferencePairBuilder(8, 64, 1));
    }

    @Test
    void genreCategoriesCoverTheFifteenBrownGenres() {
        Set<String> genres = new HashSet<>();
        for (GenreCategory c : GenreCategory.values()) {
            genres.addAll(c.genres());
        }
        assertEquals(15, genres.size());
        assertEquals(GenreCategory.FICTION, GenreCategory.of("science_fiction"));
        assertEquals(GenreCategory.PRESS, GenreCategory.of("editorial"));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> GenreCategory.of("poetry"));
        assertTrue(e.getMessage().contains("poetry"));
    }

    @Test
    void realCorpusSplitsByFileAndCoversEveryCategoryAndDimension() throws Exception {
        List<BrownDocument> docs = BrownDocument.load(DataSets.brownJsonl());
        assertEquals(500, docs.size());
        assertEquals(50, docs.stream().filter(BrownDocument::heldOut).count());
        PreferencePairBuilder builder =
                new PreferencePairBuilder(
                        RewardModelTraining.MAX_PROMPT_BYTES,
                        RewardModelTraining.MAX_RESPONSE_BYTES,
                        2);
        List<RewardPair> heldOut = builder.build(docs, true, RewardModelTraining.SEED);
        assertEquals(50 * 4 * 2, heldOut.size());
        Set<String> heldOutFiles = new HashSet<>();
        docs.stream().filter(BrownDocument::heldOut).forEach(d -> heldOutFiles.add(d.file()));
        Map<GenreCategory, Integer> perCategory = new EnumMap<>(GenreCategory.class);
        for (RewardPair p : heldOut) {
            assertTrue(heldOutFiles.contains(p.file()));
            perCategory.merge(p.category(), 1, Integer::sum);
        }
        assertEquals(4, perCategory.size(), "every category is held out: " + perCategory);
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
