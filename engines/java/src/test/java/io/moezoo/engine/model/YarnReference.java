package io.moezoo.engine.model;

/**
 * gpt-oss's YaRN RoPE in float64, transcribed from the reference semantics (§9.3: Hugging Face
 * {@code _compute_yarn_parameters} with truncate false; factor 32, 4096 original positions, β_fast
 * 32, β_slow 1, cos and sin times 0.1·ln 32 + 1) and rotate-half over the whole head.
 */
final class YarnReference {

    private static final double FACTOR = 32;
    private static final double ORIGINAL = 4096;
    private static final double BETA_FAST = 32;
    private static final double BETA_SLOW = 1;

    private YarnReference() {}

    /** The blended inverse frequencies of a head of d values. */
    static double[] inverseFrequencies(int d, double base) {
        double low = correction(BETA_FAST, d, base);
        double high = correction(BETA_SLOW, d, base);
        if (low == high) {
            high += 0.001;
        }
        low = Math.max(low, 0);
        high = Math.min(high, d - 1);
        double[] inv = new double[d / 2];
        for (int i = 0; i < d / 2; i++) {
            double pos = Math.pow(base, 2.0 * i / d);
            double ramp = Math.min(1, Math.max(0, (i - low) / (high - low)));
            inv[i] = (1 / pos) * (1 - ramp) + (1 / (FACTOR * pos)) * ramp;
        }
        return inv;
    }

    private static double correction(double rotations, int d, double base) {
        return d * Math.log(ORIGINAL / (rotations * 2 * Math.PI)) / (2 * Math.log(base));
    }

    /** Rotates each head of d values of x at a position. */
    static double[] rotate(double[] x, int position, int d, double base) {
        double[] inv = inverseFrequencies(d, base);
        double mscale = 0.1 * Math.log(FACTOR) + 1;
        double[] y = x.clone();
        int half = d / 2;
        for (int from = 0; from < x.length; from += d) {
            for (int i = 0; i < half; i++) {
                double c = Math.cos(position * inv[i]) * mscale;
                double s = Math.sin(position * inv[i]) * mscale;
                double x1 = x[from + i];
                double x2 = x[from + half + i];
                y[from + i] = x1 * c - x2 * s;
                y[from + half + i] = x2 * c + x1 * s;
            }
        }
        return y;
    }
}
