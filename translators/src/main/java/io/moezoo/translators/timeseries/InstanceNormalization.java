package io.moezoo.translators.timeseries;

/**
 * Time-MoE's per-series (instance) normalisation: the caller standardises each context with its own
 * mean and standard deviation, the model forecasts in that scale, and the forecast is mapped back:
 *
 * <p>\[ z_t = \frac{x_t - \mu}{\sigma},\qquad \hat x_{t} = \mu + \sigma \hat z_t,\qquad \mu =
 * \frac1n\sum_t x_t,\quad \sigma = \sqrt{\tfrac{1}{n-1}\sum_t (x_t-\mu)^2} \]
 *
 * <p>σ is the unbiased standard deviation ({@code torch.std}, as in the Time-MoE README). A
 * (nearly) constant context, σ ≤ 1e-8·max(1, |μ|), or a context of one value uses σ = 1, so the
 * series is only centred. Statistics are computed in double precision.
 *
 * @param mean μ
 * @param scale σ (always &gt; 0)
 */
public record InstanceNormalization(double mean, double scale) {

    /**
     * Validates the statistics.
     *
     * @param mean μ
     * @param scale σ
     */
    public InstanceNormalization {
        if (!Double.isFinite(mean) || !(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException(
                    "Normalisation needs a finite mean and a finite scale > 0, got "
                            + mean
                            + ", "
                            + scale);
        }
    }

    /**
     * Computes the statistics of a context.
     *
     * @param values the context (finite, at least one value)
     * @param from the first index used
     * @param to one past the last index used
     * @return the normalisation
     * @throws IllegalArgumentException if the range is empty or holds a non-finite value
     */
    public static InstanceNormalization of(float[] values, int from, int to) {
        int n = to - from;
        if (n <= 0) {
            throw new IllegalArgumentException("Cannot normalise an empty context");
        }
        double sum = 0;
        for (int i = from; i < to; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException(
                        "Cannot normalise a context with value " + values[i] + " at index " + i);
            }
            sum += values[i];
        }
        double mean = sum / n;
        double squares = 0;
        for (int i = from; i < to; i++) {
            double d = values[i] - mean;
            squares += d * d;
        }
        double std = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
        return new InstanceNormalization(
                mean, std > 1e-8 * Math.max(1, Math.abs(mean)) ? std : 1.0);
    }

    /**
     * Computes the statistics of a whole context.
     *
     * @param values the context
     * @return the normalisation
     */
    public static InstanceNormalization of(float[] values) {
        return of(values, 0, values.length);
    }

    /**
     * Standardises values: \((x - \mu)/\sigma\).
     *
     * @param values the values
     * @param from the first index
     * @param to one past the last index
     * @return the standardised values {@code [to - from]}
     */
    public float[] normalize(float[] values, int from, int to) {
        float[] out = new float[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = (float) ((values[i] - mean) / scale);
        }
        return out;
    }

    /**
     * Maps standardised values back: \(\mu + \sigma z\).
     *
     * @param normalized the standardised values
     * @return the values in the original scale
     */
    public float[] denormalize(float[] normalized) {
        float[] out = new float[normalized.length];
        for (int i = 0; i < normalized.length; i++) {
            out[i] = (float) (mean + scale * normalized[i]);
        }
        return out;
    }
}
