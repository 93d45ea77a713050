package io.moezoo.translators.timeseries;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.timeseries.Forecast;
import java.time.LocalDateTime;

/**
 * A point forecast with a heuristic Gaussian band.
 *
 * <p>{@link #mean()} and {@link #median()} are the model's point forecast. {@link #quantile(float)}
 * is \(\hat x_j + \sigma_1 \sqrt{j}\, \Phi^{-1}(q)\) for step j = 1…P, where σ₁ is the root mean
 * square of the model's own one-step-ahead errors over the context (head 1 at every context
 * position, computed in the same forward pass and mapped back to the series' scale) and the
 * \(\sqrt{j}\) growth is the random-walk heuristic. The band is cheap and meant for plots; it is
 * not a calibrated predictive distribution.
 *
 * <p>The NDArray accessors create arrays in the manager given at construction (the translator uses
 * its predictor's manager); {@link #pointValues()} and {@link #quantileValues(float)} avoid that.
 */
public final class PointForecast extends Forecast {

    private final float[] point;
    private final double oneStepSigma;
    private final NDManager manager;

    /**
     * Creates the forecast.
     *
     * @param point the point forecast {@code [P]}
     * @param oneStepSigma σ₁ in the series' scale (≥ 0)
     * @param startDate the first forecast time, or null when unknown
     * @param freq the frequency string (as DJL's forecasts carry it)
     * @param manager the manager of the arrays the NDArray accessors create
     */
    public PointForecast(
            float[] point,
            double oneStepSigma,
            LocalDateTime startDate,
            String freq,
            NDManager manager) {
        super(startDate, point.length, freq);
        if (!(oneStepSigma >= 0) || Double.isInfinite(oneStepSigma)) {
            throw new IllegalArgumentException("sigma must be finite and >= 0: " + oneStepSigma);
        }
        this.point = point.clone();
        this.oneStepSigma = oneStepSigma;
        this.manager = manager;
    }

    /**
     * Returns the point forecast.
     *
     * @return the values {@code [P]}
     */
    public float[] pointValues() {
        return point.clone();
    }

    /**
     * Returns σ₁, the spread of the one-step errors over the context.
     *
     * @return σ₁ in the series' scale
     */
    public double getOneStepSigma() {
        return oneStepSigma;
    }

    /**
     * Returns the q-quantile of the heuristic band.
     *
     * @param q the level in (0, 1)
     * @return the values {@code [P]}
     * @throws IllegalArgumentException if q is outside (0, 1)
     */
    public float[] quantileValues(float q) {
        if (!(q > 0 && q < 1)) {
            throw new IllegalArgumentException("quantile level must be in (0, 1), got " + q);
        }
        double z = inverseNormal(q);
        float[] out = new float[point.length];
        for (int j = 0; j < point.length; j++) {
            out[j] = (float) (point[j] + oneStepSigma * Math.sqrt(j + 1.0) * z);
        }
        return out;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray quantile(float q) {
        return manager.create(quantileValues(q));
    }

    /** {@inheritDoc} */
    @Override
    public NDArray median() {
        return mean();
    }

    /** {@inheritDoc} */
    @Override
    public NDArray mean() {
        return manager.create(point.clone());
    }

    /**
     * The standard normal quantile function \(\Phi^{-1}(p)\) (Acklam's rational approximation,
     * relative error below 1.2e-9).
     *
     * @param p the probability in (0, 1)
     * @return z with Φ(z) = p
     */
    static double inverseNormal(double p) {
        final double[] a = {
            -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
            1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00
        };
        final double[] b = {
            -5.447609879822406e+01,
            1.615858368580409e+02,
            -1.556989798598866e+02,
            6.680131188771972e+01,
            -1.328068155288572e+01
        };
        final double[] c = {
            -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
            -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00
        };
        final double[] d = {
            7.784695709041462e-03,
            3.224671290700398e-01,
            2.445134137142996e+00,
            3.754408661907416e+00
        };
        double low = 0.02425;
        if (p < low) {
            double q = Math.sqrt(-2 * Math.log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - low) {
            double q = Math.sqrt(-2 * Math.log(1 - p));
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
                    / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5])
                * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
    }
}
