package io.moezoo.recipes.language;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** seq-rep-n against hand-counted n-grams. */
class SequenceRepetitionTest {

    @Test
    void loopingSequenceRepeatsMostOfItsNgrams() {
        // "a b c a b c a b c": 6 4-grams, 3 distinct (abca, bcab, cabc) -> 1 - 3/6
        long[] loop = {1, 2, 3, 1, 2, 3, 1, 2, 3};
        assertEquals(0.5, SequenceRepetition.of(loop, 4), 1e-12);
        // 8 bigrams, 3 distinct (ab, bc, ca) -> 1 - 3/8
        assertEquals(0.625, SequenceRepetition.of(loop, 2), 1e-12);
    }

    @Test
    void distinctNgramsGiveZeroAndShortSequencesToo() {
        assertEquals(0, SequenceRepetition.of(new long[] {1, 2, 3, 4, 5, 6}, 4), 0);
        assertEquals(0, SequenceRepetition.of(new long[] {7, 7, 7}, 4), 0);
        // a constant run: 4 unigrams, 1 distinct
        assertEquals(0.75, SequenceRepetition.of(new long[] {7, 7, 7, 7}, 1), 1e-12);
    }

    @Test
    void meanAveragesPerSequence() {
        List<long[]> two = List.of(new long[] {1, 2, 3, 1, 2, 3, 1, 2, 3}, new long[] {1, 2, 3, 4});
        assertEquals(0.25, SequenceRepetition.mean(two, 4), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> SequenceRepetition.mean(List.of(), 4));
        assertThrows(IllegalArgumentException.class, () -> SequenceRepetition.of(new long[3], 0));
    }
}
