package io.moezoo.translators.reward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.moezoo.translators.text.ByteTokenizer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The token-level reward encoding, with a byte tokenizer (token id = byte) as the oracle. */
class RewardTokenEncodingTest {

    @TempDir Path dir;

    @Test
    void promptThenSpacedResponseRightPaddedWithMasks() throws Exception {
        try (HuggingFaceTokenizer t = ByteTokenizer.open(dir)) {
            RewardTokenEncoding e = new RewardTokenEncoding(t, 4, 5, 99);
            assertEquals(9, e.sequenceLength());
            EncodedResponse r = e.encode("  ab \n", "cd", "response");
            assertArrayEquals(new long[] {'a', 'b', ' ', 'c', 'd', 99, 99, 99, 99}, r.ids());
            assertArrayEquals(new float[] {1, 1, 0, 0, 0, 0, 0, 0, 0}, r.promptMask());
            assertArrayEquals(new float[] {0, 0, 1, 1, 1, 0, 0, 0, 0}, r.responseMask());
            assertEquals(2, r.promptLength());
            assertEquals(3, r.responseLength());
        }
    }

    @Test
    void longPromptKeepsItsLastTokensAndLongResponseIsRefused() throws Exception {
        try (HuggingFaceTokenizer t = ByteTokenizer.open(dir)) {
            RewardTokenEncoding e = new RewardTokenEncoding(t, 3, 4, 0);
            EncodedResponse r = e.encode("abcdef", "x", "response");
            assertArrayEquals(new long[] {'d', 'e', 'f', ' ', 'x', 0, 0}, r.ids());
            InvalidRewardInputException tooLong =
                    assertThrows(
                            InvalidRewardInputException.class,
                            () -> e.encode("p", "wxyz", "chosen"));
            assertTrue(tooLong.getMessage().contains("chosen"), tooLong.getMessage());
            assertTrue(tooLong.getMessage().contains("at most 4"), tooLong.getMessage());
            assertThrows(InvalidRewardInputException.class, () -> e.encode(" ", "x", "r"));
            assertThrows(InvalidRewardInputException.class, () -> e.encode("p", null, "r"));
            assertThrows(InvalidRewardInputException.class, () -> e.encode("p\0", "x", "r"));
            assertThrows(IllegalArgumentException.class, () -> new RewardTokenEncoding(t, 0, 4, 0));
        }
    }
}
