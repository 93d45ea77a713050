package io.moezoo.translators.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The context arithmetic of generation and scoring, with exact expected ids and numbers. */
class ContextBudgetTest {

    private static final long[] PROMPT = {10, 11, 12, 13, 14, 15};

    @Test
    void anInputThatFitsIsReturnedAsIs() throws Exception {
        // 6 + 4 = 10 = context: fits exactly
        assertSame(PROMPT, ContextBudget.fit(PROMPT, 4, 10, false));
        assertSame(PROMPT, ContextBudget.fit(PROMPT, 4, 10, true));
        // scoring: 6 tokens in a context of 6
        assertSame(PROMPT, ContextBudget.fit(PROMPT, 0, 6, false));
    }

    @Test
    void aPromptThatDoesNotFitIsRefusedWithTheNumbers() {
        ContextLengthExceededException e =
                assertThrows(
                        ContextLengthExceededException.class,
                        () -> ContextBudget.fit(PROMPT, 5, 10, false));
        assertEquals(6, e.getPromptTokens());
        assertEquals(5, e.getMaxNewTokens());
        assertEquals(10, e.getContextLength());
        assertEquals(
                "The prompt is 6 tokens and maxNewTokens is 5: 11 tokens exceed the model's"
                        + " context of 10 tokens; shorten the prompt, lower maxNewTokens, or set"
                        + " truncatePrompt to keep its last 5 tokens",
                e.getMessage());
        ContextLengthExceededException scoring =
                assertThrows(
                        ContextLengthExceededException.class,
                        () -> ContextBudget.fit(PROMPT, 0, 4, false));
        assertEquals(
                "The input is 6 tokens, more than the model's context of 4 tokens; shorten it, or"
                        + " set truncatePrompt to keep its last 4 tokens",
                scoring.getMessage());
    }

    @Test
    void truncationKeepsTheLastTokensThatLeaveRoomForTheNewOnes() throws Exception {
        assertArrayEquals(new long[] {11, 12, 13, 14, 15}, ContextBudget.fit(PROMPT, 5, 10, true));
        assertArrayEquals(new long[] {15}, ContextBudget.fit(PROMPT, 9, 10, true));
        assertArrayEquals(new long[] {12, 13, 14, 15}, ContextBudget.fit(PROMPT, 0, 4, true));
        assertArrayEquals(new long[] {10, 11, 12, 13, 14, 15}, PROMPT, "the input is not changed");
    }

    @Test
    void maxNewTokensThatLeaveNoRoomAreRefusedEvenWhenTruncating() {
        for (boolean truncate : new boolean[] {false, true}) {
            for (int maxNewTokens : new int[] {10, 11, Integer.MAX_VALUE}) {
                ContextLengthExceededException e =
                        assertThrows(
                                ContextLengthExceededException.class,
                                () -> ContextBudget.fit(PROMPT, maxNewTokens, 10, truncate));
                assertEquals(maxNewTokens, e.getMaxNewTokens());
                assertTrue(e.getMessage().contains("at most 9 new tokens fit"), e.getMessage());
            }
        }
    }

    @Test
    void blocksWithoutAWindowGetTheDefault() {
        assertEquals(ContextWindow.DEFAULT_CONTEXT_LENGTH, ContextWindow.of(null));
        assertEquals(ContextWindow.DEFAULT_CONTEXT_LENGTH, ContextWindow.of(new Object()));
        assertEquals(2048, ContextWindow.DEFAULT_CONTEXT_LENGTH);
        ContextWindow seven = () -> 7;
        assertEquals(7, ContextWindow.of(seven));
        ContextWindow broken = () -> 0;
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> ContextWindow.of(broken));
        assertEquals("The model declares a context length of 0; it must be > 0", e.getMessage());
    }
}
