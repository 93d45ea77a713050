package io.moezoo.models.timeseries;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moezoo.translators.timeseries.ForecastHeads;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The head selection rules: Time-MoE's and the shortest covering head. */
class ForecastHeadsTest {

    private final ForecastHeads heads = new ForecastHeads(new int[] {1, 8, 32, 64});

    @Test
    void selectsLargestHeadNotLongerThanRemaining() {
        assertEquals(1, heads.select(1));
        assertEquals(1, heads.select(7));
        assertEquals(8, heads.select(8));
        assertEquals(8, heads.select(12));
        assertEquals(8, heads.select(31));
        assertEquals(32, heads.select(32));
        assertEquals(32, heads.select(63));
        assertEquals(64, heads.select(64));
        assertEquals(64, heads.select(1000));
    }

    @Test
    void plansRollouts() {
        assertEquals(List.of(64, 32, 1, 1, 1, 1), heads.plan(100));
        assertEquals(List.of(8, 1, 1, 1, 1), heads.plan(12));
        assertEquals(List.of(32, 8, 8), heads.plan(48));
        assertEquals(List.of(8, 1, 1, 1, 1, 1, 1), heads.plan(14));
    }

    @Test
    void firstHeadLongerThanRemainingIsTruncated() {
        ForecastHeads coarse = new ForecastHeads(new int[] {4, 8});
        assertEquals(4, coarse.select(2));
        assertEquals(List.of(4), coarse.plan(2));
        assertEquals(List.of(8, 4), coarse.plan(10));
    }

    @Test
    void shortestCoveringHeadRunsOncePerLongestHead() {
        ForecastHeads covering =
                new ForecastHeads(
                        new int[] {1, 8, 32, 64}, ForecastHeads.Selection.SHORTEST_COVERING);
        assertEquals(1, covering.select(1));
        assertEquals(8, covering.select(2));
        assertEquals(8, covering.select(8));
        assertEquals(32, covering.select(9));
        assertEquals(32, covering.select(12));
        assertEquals(64, covering.select(33));
        assertEquals(64, covering.select(1000));
        assertEquals(List.of(32), covering.plan(12));
        assertEquals(List.of(32), covering.plan(14));
        assertEquals(List.of(64), covering.plan(48));
        assertEquals(List.of(64, 64), covering.plan(100));
        assertEquals(List.of(64, 64, 8), covering.plan(130));
    }

    @Test
    void selectionsParseByArgumentName() {
        for (ForecastHeads.Selection s : ForecastHeads.Selection.values()) {
            assertEquals(s, ForecastHeads.Selection.of(s.argument()));
        }
        assertEquals("shortest_covering", ForecastHeads.Selection.SHORTEST_COVERING.argument());
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> ForecastHeads.Selection.of("longest"));
        assertTrue(e.getMessage().contains("longest"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class, () -> new ForecastHeads(new int[] {1, 8}, null));
    }

    @Test
    void rejectsBadHeadsAndHorizons() {
        assertThrows(IllegalArgumentException.class, () -> new ForecastHeads(new int[] {}));
        assertThrows(IllegalArgumentException.class, () -> new ForecastHeads(new int[] {8, 1}));
        assertThrows(IllegalArgumentException.class, () -> new ForecastHeads(new int[] {0, 1}));
        assertThrows(IllegalArgumentException.class, () -> heads.select(0));
        assertThrows(IllegalArgumentException.class, () -> heads.plan(-1));
    }
}
