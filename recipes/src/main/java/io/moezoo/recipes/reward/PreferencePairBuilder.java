package io.moezoo.recipes.reward;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Builds preference pairs from real Brown text, deterministically from a seed.
 *
 * <p>For each file and each {@link CapabilityDimension}, {@code pairsPerFile} cut points are drawn
 * at word boundaries. The prompt is the longest run of whole words ending at the cut that fits in
 * {@code maxPromptBytes}; the chosen response is the longest run of whole words after the cut whose
 * encoded form (leading space included) fits in {@code maxResponseBytes - SLACK} (the slack leaves
 * room for edits that lengthen the rejected response). Rejected responses: see the dimensions.
 * Coherence and relevance passages are cut at the word boundary whose length is closest to the
 * chosen response's length, so that length does not give the answer away. Relevance passages come
 * from another file <em>of the same split</em>, so held-out pairs contain only held-out text. Every
 * file uses its own random stream {@code seed * 1_000_003 + file index}, so the pairs of a file do
 * not depend on the other files.
 */
public final class PreferencePairBuilder {

    /** Bytes kept free below the response limit for edits that lengthen a response. */
    public static final int SLACK = 8;

    private static final int MIN_PROMPT_WORDS = 4;
    private static final int MIN_RESPONSE_WORDS = 5;
    private static final int ATTEMPTS = 50;

    private static final Map<String, String> AGREEMENT =
            Map.ofEntries(
                    Map.entry("is", "are"),
                    Map.entry("are", "is"),
                    Map.entry("was", "were"),
                    Map.entry("were", "was"),
                    Map.entry("has", "have"),
                    Map.entry("have", "has"),
                    Map.entry("does", "do"),
                    Map.entry("do", "does"),
                    Map.entry("a", "an"),
                    Map.entry("an", "a"),
                    Map.entry("this", "these"),
                    Map.entry("these", "this"));

    private final int maxPromptBytes;
    private final int maxResponseBytes;
    private final int pairsPerFile;

    /**
     * Creates a builder.
     *
     * @param maxPromptBytes the prompt limit in bytes
     * @param maxResponseBytes the response limit in bytes (leading space included)
     * @param pairsPerFile pairs per file and dimension
     * @throws IllegalArgumentException if the limits leave no room for a response
     */
    public PreferencePairBuilder(int maxPromptBytes, int maxResponseBytes, int pairsPerFile) {
        if (maxPromptBytes < 16 || maxResponseBytes < SLACK + 16 || pairsPerFile <= 0) {
            throw new IllegalArgumentException(
                    "Need maxPromptBytes >= 16, maxResponseBytes >= "
                            + (SLACK + 16)
                            + " and pairsPerFile > 0");
        }
        this.maxPromptBytes = maxPromptBytes;
        this.maxResponseBytes = maxResponseBytes;
        this.pairsPerFile = pairsPerFile;
    }

    /**
     * Builds the pairs of one split.
     *
     * @param docs all documents (the split is taken from {@link BrownDocument#heldOut()})
     * @param heldOut true for the held-out split, false for training
     * @param seed the seed
     * @return the pairs, file by file, dimension by dimension
     */
    public List<RewardPair> build(List<BrownDocument> docs, boolean heldOut, long seed) {
        List<String[]> words = new ArrayList<>();
        List<BrownDocument> split = new ArrayList<>();
        for (BrownDocument d : docs) {
            if (d.heldOut() == heldOut) {
                split.add(d);
                words.add(d.text().split(" "));
            }
        }
        List<RewardPair> pairs = new ArrayList<>();
        for (int f = 0; f < split.size(); f++) {
            BrownDocument doc = split.get(f);
            Random rng = new Random(seed * 1_000_003L + doc.index());
            for (CapabilityDimension dim : CapabilityDimension.values()) {
                int made = 0;
                for (int attempt = 0;
                        attempt < ATTEMPTS * pairsPerFile && made < pairsPerFile;
                        attempt++) {
                    RewardPair pair = tryPair(doc, words, f, dim, rng);
                    if (pair != null) {
                        pairs.add(pair);
                        made++;
                    }
                }
            }
        }
        return pairs;
    }

    private RewardPair tryPair(
            BrownDocument doc,
            List<String[]> words,
            int self,
            CapabilityDimension dim,
            Random rng) {
        String[] w = words.get(self);
        if (w.length < 60) {
            return null;
        }
        int cut = 30 + rng.nextInt(w.length - 50);
        int promptStart = wordsBefore(w, cut, maxPromptBytes);
        if (cut - promptStart < MIN_PROMPT_WORDS) {
            return null;
        }
        int responseEnd = wordsAfter(w, cut, maxResponseBytes - SLACK - 1);
        if (responseEnd - cut < MIN_RESPONSE_WORDS) {
            return null;
        }
        String prompt = join(w, promptStart, cut);
        List<String> chosenWords = Arrays.asList(w).subList(cut, responseEnd);
        String chosen = String.join(" ", chosenWords);
        int chosenBytes = bytes(chosen);
        String rejected;
        switch (dim) {
            case FLUENCY:
                rejected = shuffled(chosenWords, rng);
                break;
            case GRAMMATICALITY:
                rejected = edited(chosenWords, rng);
                break;
            case COHERENCE:
                int before = wordsBefore(w, promptStart, chosenBytes);
                if (before > 0
                        && closer(
                                bytes(join(w, before - 1, promptStart)),
                                chosenBytes,
                                bytes(join(w, before, promptStart)))) {
                    before--;
                }
                rejected = before < promptStart ? join(w, before, promptStart) : null;
                break;
            case RELEVANCE:
                int other = rng.nextInt(words.size() - 1);
                String[] o = words.get(other >= self ? other + 1 : other);
                if (o.length < 40) {
                    return null;
                }
                int start = rng.nextInt(o.length - 30);
                int end = wordsAfter(o, start, chosenBytes);
                if (end < o.length
                        && closer(
                                bytes(join(o, start, end + 1)),
                                chosenBytes,
                                bytes(join(o, start, end)))) {
                    end++;
                }
                rejected = join(o, start, end);
                break;
            default:
                throw new IllegalStateException(dim.toString());
        }
        if (rejected == null
                || rejected.split(" ").length < MIN_RESPONSE_WORDS
                || rejected.equals(chosen)
                || bytes(rejected) + 1 > maxResponseBytes) {
            return null;
        }
        return new RewardPair(doc.file(), doc.genre(), dim, prompt, chosen, rejected);
    }

    /** The first index i such that words [i, end) fit in limit bytes (joined by spaces). */
    static int wordsBefore(String[] w, int end, int limit) {
        int bytes = -1;
        int i = end;
        while (i > 0) {
            int next = bytes + 1 + bytes(w[i - 1]);
            if (next > limit) {
                break;
            }
            bytes = next;
            i--;
        }
        return i;
    }

    /** The end index j such that words [start, j) fit in limit bytes (joined by spaces). */
    static int wordsAfter(String[] w, int start, int limit) {
        int bytes = -1;
        int j = start;
        while (j < w.length) {
            int next = bytes + 1 + bytes(w[j]);
            if (next > limit) {
                break;
            }
            bytes = next;
            j++;
        }
        return j;
    }

    /** Whether length a is strictly closer to the target than length b. */
    private static boolean closer(int a, int target, int b) {
        return Math.abs(a - target) < Math.abs(b - target);
    }

    private static String join(String[] w, int from, int to) {
        return String.join(" ", Arrays.asList(w).subList(from, to));
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /**
     * Shuffles the words until the order differs.
     *
     * @param words the words
     * @param rng the random stream
     * @return the shuffled text, or null if every order is the same (all words equal)
     */
    static String shuffled(List<String> words, Random rng) {
        String original = String.join(" ", words);
        List<String> copy = new ArrayList<>(words);
        for (int i = 0; i < 10; i++) {
            Collections.shuffle(copy, rng);
            String s = String.join(" ", copy);
            if (!s.equals(original)) {
                return s;
            }
        }
        return null;
    }

    /**
     * Applies two local edits: swap two adjacent words, drop a word, repeat a word, or flip an
     * agreement word (is/are, was/were, has/have, does/do, a/an, this/these; case kept for the
     * first letter).
     *
     * @param words the words
     * @param rng the random stream
     * @return the edited text
     */
    static String edited(List<String> words, Random rng) {
        List<String> w = new ArrayList<>(words);
        for (int e = 0; e < 2; e++) {
            int kind = rng.nextInt(4);
            int i = rng.nextInt(w.size() - 1);
            if (kind == 3) {
                List<Integer> flippable = new ArrayList<>();
                for (int k = 0; k < w.size(); k++) {
                    if (AGREEMENT.containsKey(w.get(k).toLowerCase(java.util.Locale.ROOT))) {
                        flippable.add(k);
                    }
                }
                if (flippable.isEmpty()) {
                    kind = rng.nextInt(3);
                } else {
                    int k = flippable.get(rng.nextInt(flippable.size()));
                    String word = w.get(k);
                    String flipped = AGREEMENT.get(word.toLowerCase(java.util.Locale.ROOT));
                    if (Character.isUpperCase(word.charAt(0))) {
                        flipped = Character.toUpperCase(flipped.charAt(0)) + flipped.substring(1);
                    }
                    w.set(k, flipped);
                    continue;
                }
            }
            if (kind == 0) {
                Collections.swap(w, i, i + 1);
            } else if (kind == 1) {
                w.remove(i);
            } else {
                w.add(i, w.get(i));
            }
        }
        return String.join(" ", w);
    }
}
