package io.moezoo.translators.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stop strings end a {@link SequenceGeneration} where the text first contains one. A scripted
 * "model" (logits that put all weight on the next byte of a script) spells a text byte by byte with
 * the {@link ByteTokenizer}; the expectations are the script cut by hand.
 */
class StopStringGenerationTest {

    @TempDir Path dir;

    /** What one scripted generation produced. */
    private record Run(GeneratedText result, List<String> pieces, List<String> streamedByStep) {}

    private Run generate(String script, int maxNewTokens, String... stops) throws Exception {
        try (HuggingFaceTokenizer tokenizer = ByteTokenizer.open(dir)) {
            List<String> pieces = new ArrayList<>();
            List<String> byStep = new ArrayList<>();
            GenerationConfig config =
                    GenerationConfig.greedy(maxNewTokens).withStopStrings(List.of(stops));
            SequenceGeneration sequence =
                    new SequenceGeneration(tokenizer, config, null, pieces::add);
            for (long next : ByteTokenizer.ids(script)) {
                float[] logits = new float[256];
                logits[(int) next] = 10f;
                long run = sequence.step(logits);
                byStep.add(String.join("", pieces));
                if (run < 0) {
                    break;
                }
            }
            return new Run(sequence.result(), pieces, byStep);
        }
    }

    @Test
    void textEndsBeforeTheFirstStopString() throws Exception {
        Run run = generate("Hello, world! END and more", 64, "END", "more");
        assertEquals("Hello, world! ", run.result().text());
        assertTrue(run.result().stoppedByToken(), "a stop string is a stop, not the limit");
        // The tokens that spelled "END" were generated: 14 bytes of text, then E, N, D.
        assertEquals(17, run.result().tokenIds().length);
        assertEquals("Hello, world! ", String.join("", run.pieces()));
    }

    @Test
    void theBeginningOfAStopStringIsHeldBackUntilItCannotBeOne() throws Exception {
        Run run = generate("xabyab!z", 64, "ab!");
        assertEquals("xaby", run.result().text());
        assertEquals("xaby", String.join("", run.pieces()));
        // After "x", "xa", "xab": only "x" is final; "y" releases "aby"; "a", "b" are held again.
        assertEquals(List.of("x", "x", "x", "xaby", "xaby", "xaby", "xaby"), run.streamedByStep());
    }

    @Test
    void theEarliestOfSeveralStopStringsWins() throws Exception {
        Run run = generate("one two three", 64, "three", "two t");
        assertEquals("one ", run.result().text());
    }

    @Test
    void aStopStringOfSeveralByteCharactersIsFoundWholeOnly() throws Exception {
        // "é" is two bytes (C3 A9): neither the stream nor the text shows half of it.
        Run run = generate("café! ok", 64, "é!");
        assertEquals("caf", run.result().text());
        assertEquals("caf", String.join("", run.pieces()));
        assertFalse(String.join("", run.pieces()).contains("\uFFFD"));
    }

    @Test
    void withoutAStopStringTheLimitEndsIt() throws Exception {
        Run run = generate("abcabcabc", 5, "bz");
        assertEquals("abcab", run.result().text());
        assertFalse(run.result().stoppedByToken());
        assertEquals("abcab", String.join("", run.pieces()), "finish releases what was held");
    }

    @Test
    void aStopStringCompletedByTheLastAllowedTokenIsStillAStop() throws Exception {
        Run run = generate("abcSTOP", 7, "STOP");
        assertEquals("abc", run.result().text());
        assertTrue(run.result().stoppedByToken());
    }

    @Test
    void badStopStringsAreRefusedByName() {
        GenerationConfig config = GenerationConfig.greedy(4);
        IllegalArgumentException empty =
                assertThrows(
                        IllegalArgumentException.class, () -> config.withStopStrings(List.of("")));
        assertTrue(empty.getMessage().contains("must not be empty"), empty.getMessage());
        IllegalArgumentException many =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                config.withStopStrings(
                                        Collections.nCopies(StopStrings.MAX_COUNT + 1, "x")));
        assertTrue(many.getMessage().contains("at most 16 stop strings"), many.getMessage());
        IllegalArgumentException longOne =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> config.withStopStrings(List.of("y".repeat(257))));
        assertTrue(longOne.getMessage().contains("at most 256 characters"), longOne.getMessage());
    }

    @Test
    void heldBackIsTheLongestSuffixThatBeginsAStopString() {
        assertEquals(0, StopStrings.heldBack(List.of("abc"), "xyz"));
        assertEquals(1, StopStrings.heldBack(List.of("abc"), "xya"));
        assertEquals(2, StopStrings.heldBack(List.of("abc", "b"), "xab"));
        assertEquals(3, StopStrings.heldBack(List.of("aaab"), "aaaa"));
        assertEquals(2, StopStrings.find(List.of("cd", "d"), "abcdd", 0));
        assertEquals(4, StopStrings.find(List.of("cd", "d"), "abcdd", 4));
        assertEquals(-1, StopStrings.find(List.of("cd"), "abcdd", 3));
    }
}
