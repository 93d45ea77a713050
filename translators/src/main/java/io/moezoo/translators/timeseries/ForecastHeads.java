package io.moezoo.translators.timeseries;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Time-MoE's multi-resolution head rule ({@code TimeMoeForPrediction.forward} with {@code
 * max_horizon_length}, driven by {@code TSGenerationMixin}).
 *
 * <p>Each rollout step forecasts from the last position with one head: starting from the first
 * head, the heads are scanned in their configured order and the scan stops at the first head longer
 * than the remaining horizon; the last head not longer is used. If even the first head is longer
 * than the remaining horizon its output is truncated. The forecast values are appended to the
 * sequence and the step repeats until the prediction length is reached. With heads {1, 8, 32, 64}
 * and 100 steps the rollout uses 64, 32, 1, 1, 1, 1.
 *
 * @param horizons the head lengths in configuration order (positive, strictly increasing)
 */
public record ForecastHeads(int[] horizons) {

    /**
     * Validates the head lengths.
     *
     * @param horizons the head lengths
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
        horizons = horizons.clone();
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
     * @return the length of the head to run (may exceed {@code remaining} only for the first head)
     * @throws IllegalArgumentException if {@code remaining <= 0}
     */
    public int select(int remaining) {
        if (remaining <= 0) {
            throw new IllegalArgumentException("remaining horizon must be > 0, got " + remaining);
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
        return o instanceof ForecastHeads other && Arrays.equals(horizons, other.horizons);
    }

    /** {@inheritDoc} */
    @Override
    public int hashCode() {
        return Arrays.hashCode(horizons);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return "ForecastHeads" + Arrays.toString(horizons);
    }
}
