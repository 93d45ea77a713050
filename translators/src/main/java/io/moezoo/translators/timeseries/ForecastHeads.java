package io.moezoo.translators.timeseries;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * How a multi-resolution forecaster's heads make a forecast of a given length (the rollout plan).
 *
 * <p>{@link Selection#TIME_MOE} is Time-MoE's rule ({@code TimeMoeForPrediction.forward} with
 * {@code max_horizon_length}, driven by {@code TSGenerationMixin}): each rollout step forecasts
 * from the last position with one head: starting from the first head, the heads are scanned in
 * their configured order and the scan stops at the first head longer than the remaining horizon;
 * the last head not longer is used. If even the first head is longer than the remaining horizon its
 * output is truncated. The forecast values are appended to the sequence and the step repeats until
 * the prediction length is reached. With heads {1, 8, 32, 64} and 100 steps the rollout uses 64,
 * 32, 1, 1, 1, 1.
 *
 * <p>{@link Selection#SHORTEST_COVERING} uses the shortest head at least as long as the remaining
 * horizon, truncated (the longest head where none is): with heads {1, 8, 32, 64} a forecast of 12
 * is the first 12 values of head 32 in one pass, 100 steps are 64 then 64 truncated to 36. The
 * model's own forecasts are fed back only beyond its longest head.
 *
 * @param horizons the head lengths in configuration order (positive, strictly increasing)
 * @param selection the rule
 */
public record ForecastHeads(int[] horizons, Selection selection) {

    /** The head rules. */
    public enum Selection {
        /** Time-MoE's: the longest head not longer than what remains (the first, truncated). */
        TIME_MOE,
        /** The shortest head covering what remains, truncated (the longest where none does). */
        SHORTEST_COVERING;

        /**
         * Parses a rule by its lower-case name ({@code time_moe}, {@code shortest_covering}).
         *
         * @param name the name
         * @return the rule
         * @throws IllegalArgumentException naming the accepted values
         */
        public static Selection of(String name) {
            for (Selection s : values()) {
                if (s.name().toLowerCase(Locale.ROOT).equals(name)) {
                    return s;
                }
            }
            throw new IllegalArgumentException(
                    "head_selection must be time_moe or shortest_covering, got " + name);
        }

        /**
         * Returns the lower-case name used in arguments.
         *
         * @return the name
         */
        public String argument() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Validates the head lengths.
     *
     * @param horizons the head lengths
     * @param selection the rule
     */
    public ForecastHeads {
        if (horizons == null || horizons.length == 0) {
            throw new IllegalArgumentException("A forecaster needs at least one head");
        }
        for (int i = 0; i < horizons.length; i++) {
            if (horizons[i] <= 0 || (i > 0 && horizons[i] <= horizons[i - 1])) {
                throw new IllegalArgumentException(
                        "Head lengths must be positive and strictly increasing, got "
                                + Arrays.toString(horizons));
            }
        }
        if (selection == null) {
            throw new IllegalArgumentException("A head selection rule is required");
        }
        horizons = horizons.clone();
    }

    /**
     * Time-MoE's rule over these heads.
     *
     * @param horizons the head lengths
     */
    public ForecastHeads(int[] horizons) {
        this(horizons, Selection.TIME_MOE);
    }

    /**
     * Returns a copy of the head lengths.
     *
     * @return the head lengths
     */
    @Override
    public int[] horizons() {
        return horizons.clone();
    }

    /**
     * Selects the head for one rollout step.
     *
     * @param remaining the number of values still to forecast (&gt; 0)
     * @return the length of the head to run (may exceed {@code remaining}: Time-MoE's rule only for
     *     the first head)
     * @throws IllegalArgumentException if {@code remaining <= 0}
     */
    public int select(int remaining) {
        if (remaining <= 0) {
            throw new IllegalArgumentException("remaining horizon must be > 0, got " + remaining);
        }
        if (selection == Selection.SHORTEST_COVERING) {
            for (int h : horizons) {
                if (h >= remaining) {
                    return h;
                }
            }
            return horizons[horizons.length - 1];
        }
        int chosen = horizons[0];
        for (int i = 1; i < horizons.length; i++) {
            if (horizons[i] > remaining) {
                break;
            }
            chosen = horizons[i];
        }
        return chosen;
    }

    /**
     * Plans a whole rollout.
     *
     * @param predictionLength the number of values to forecast (&gt; 0)
     * @return per step, the head length used (the last step may use fewer values than its head
     *     gives, when even the first head is longer than what remains)
     * @throws IllegalArgumentException if {@code predictionLength <= 0}
     */
    public List<Integer> plan(int predictionLength) {
        if (predictionLength <= 0) {
            throw new IllegalArgumentException(
                    "prediction length must be > 0, got " + predictionLength);
        }
        List<Integer> steps = new ArrayList<>();
        int remaining = predictionLength;
        while (remaining > 0) {
            int head = select(remaining);
            steps.add(head);
            remaining -= Math.min(head, remaining);
        }
        return Collections.unmodifiableList(steps);
    }

    /** {@inheritDoc} */
    @Override
    public boolean equals(Object o) {
        return o instanceof ForecastHeads other
                && Arrays.equals(horizons, other.horizons)
                && selection == other.selection;
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(horizons) + selection.hashCode();
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "ForecastHeads" + Arrays.toString(horizons) + " " + selection.argument();
    }
}
