package io.moezoo.models.reward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moezoo.translators.reward.EncodedResponse;
import io.moezoo.translators.reward.InvalidRewardInputException;
import io.moezoo.translators.reward.RewardTextEncoding;
import org.junit.jupiter.api.Test;

/** The byte encoding of (prompt, response): layout, truncation and rejection. */
class RewardTextEncodingTest {

    private final RewardTextEncoding encoding = new RewardTextEncoding(8, 6);

    @Test
    void layoutIsPromptBytesThenSpaceAndResponseThenPadding() throws Exception {
        EncodedResponse e = encoding.encode("  ab\n c ", "xy", "response");
        long[] expected = {'a', 'b', ' ', 'c', ' ', 'x', 'y', 0, 0, 0, 0, 0, 0, 0};
        assertArrayEquals(expected, e.ids());
        assertArrayEquals(new float[] {1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}, e.promptMask());
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0}, e.responseMask());
        assertEquals(4, e.promptLength());
        assertEquals(3, e.responseLength());
    }

    @Test
    void longPromptsKeepTheirLastBytesAtACharacterBoundary() throws Exception {
        EncodedResponse e = encoding.encode("0123456789", "x", "response");
        assertEquals(8, e.promptLength());
        assertEquals('2', e.ids()[0]);
        // "é" is two bytes: cutting inside it skips its continuation byte
        EncodedResponse accent = encoding.encode("abcé1234567", "x", "response");
        assertEquals(7, accent.promptLength());
        assertEquals('1', accent.ids()[0]);
    }

    @Test
    void badTextsAreRejectedWithTheFieldNamed() throws Exception {
        assertEquals(6, encoding.encode("p", "12345", "response").responseLength());
        InvalidRewardInputException tooLong =
                assertThrows(
                        InvalidRewardInputException.class,
                        () -> encoding.encode("p", "123456", "chosen"));
        assertEquals("chosen", tooLong.getField());
        assertTrue(tooLong.getMessage().contains("at most 6"), tooLong.getMessage());
        assertEquals(
                "prompt",
                assertThrows(
                                InvalidRewardInputException.class,
                                () -> encoding.encode(" \t\n", "x", "response"))
                        .getField());
        assertEquals(
                "response",
                assertThrows(
                                InvalidRewardInputException.class,
                                () -> encoding.encode("p", "", "response"))
                        .getField());
        assertEquals(
                "prompt",
                assertThrows(
                                InvalidRewardInputException.class,
                                () -> encoding.encode(null, "x", "response"))
                        .getField());
        InvalidRewardInputException nul =
                assertThrows(
                        InvalidRewardInputException.class,
                        () -> encoding.encode("p", "a\0b", "rejected"));
        assertTrue(nul.getMessage().contains("NUL"));
        assertThrows(IllegalArgumentException.class, () -> new RewardTextEncoding(0, 4));
    }
}
