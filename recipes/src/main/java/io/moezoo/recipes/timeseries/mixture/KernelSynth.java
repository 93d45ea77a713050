package io.moezoo.recipes.timeseries.mixture;

import java.util.Random;

/**
 * Synthetic series drawn from Gaussian processes with randomly composed kernels, after KernelSynth
 * of Chronos (Ansari et al., 2024): 1 to {@value #MAX_KERNELS} kernels are drawn from a bank and
 * folded with randomly chosen + or ×; a series is one draw of the zero-mean GP with that covariance
 * on the inputs \(u_t = t / n\), t = 0 … n − 1 (Cholesky factor times standard normals), then
 * shifted by a random level.
 *
 * <p>The bank (inputs u, u' ∈ [0, 1)):
 *
 * <ul>
 *   <li>linear \(\sigma^2 + u u'\), σ ∈ {0, 1, 10};
 *   <li>RBF \(\exp(-(u-u')^2 / (2\ell^2))\), ℓ ∈ {0.1, 1, 10};
 *   <li>rational quadratic \((1 + (u-u')^2/(2\alpha))^{-\alpha}\), α ∈ {0.1, 1, 10};
 *   <li>periodic \(\exp(-2\sin^2(\pi (u-u') / p))\), p = P/n for a period P in steps: the season of
 *       the series' frequency (when it has one), or one of n/2, n/4, n/8, 7, 12, 24;
 *   <li>white noise \(s\,[u = u']\), s ∈ {0.1, 1};
 *   <li>constant 1.
 * </ul>
 *
 * The level shift is \(c \cdot sd\), c uniform in [0, 4), so that some series stay positive.
 */
public final class KernelSynth {

    /** The most kernels composed. */
    public static final int MAX_KERNELS = 5;

    private KernelSynth() {}

    /**
     * Draws one series.
     *
     * @param random the generator (the only source of randomness)
     * @param n the length, at least 2
     * @param season the season of the frequency (1: none); one periodic candidate
     * @return the series
     */
    public static double[] sample(Random random, int n, int season) {
        if (n < 2) {
            throw new IllegalArgumentException("A synthetic series needs n >= 2, got " + n);
        }
        int count = 1 + random.nextInt(MAX_KERNELS);
        double[][] k = kernel(random, n, season);
        for (int i = 1; i < count; i++) {
            double[][] next = kernel(random, n, season);
            boolean product = random.nextBoolean();
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    k[a][b] = product ? k[a][b] * next[a][b] : k[a][b] + next[a][b];
                }
            }
        }
        double[][] l = cholesky(k);
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            z[i] = random.nextGaussian();
        }
        double[] y = new double[n];
        double mean = 0;
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j <= i; j++) {
                s += l[i][j] * z[j];
            }
            y[i] = s;
            mean += s / n;
        }
        double var = 0;
        for (double v : y) {
            var += (v - mean) * (v - mean) / n;
        }
        double shift = 4 * random.nextDouble() * Math.sqrt(var);
        for (int i = 0; i < n; i++) {
            y[i] += shift;
        }
        return y;
    }

    /**
     * One kernel of the bank as a Gram matrix on \(u_t = t/n\).
     *
     * @param random the generator
     * @param n the length
     * @param season the season of the frequency
     * @return the n×n matrix
     */
    static double[][] kernel(Random random, int n, int season) {
        int type = random.nextInt(6);
        double[][] k = new double[n][n];
        double param;
        switch (type) {
            case 0 -> param = new double[] {0, 1, 10}[random.nextInt(3)];
            case 1 -> param = new double[] {0.1, 1, 10}[random.nextInt(3)];
            case 2 -> param = new double[] {0.1, 1, 10}[random.nextInt(3)];
            case 3 -> {
                double[] periods = {n / 2.0, n / 4.0, n / 8.0, 7, 12, 24};
                param =
                        season > 1 && random.nextBoolean()
                                ? season
                                : periods[random.nextInt(periods.length)];
                param /= n;
            }
            case 4 -> param = new double[] {0.1, 1}[random.nextInt(2)];
            default -> param = 1;
        }
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                double u = (double) a / n;
                double v = (double) b / n;
                double r = u - v;
                k[a][b] =
                        switch (type) {
                            case 0 -> param * param + u * v;
                            case 1 -> Math.exp(-r * r / (2 * param * param));
                            case 2 -> Math.pow(1 + r * r / (2 * param), -param);
                            case 3 -> {
                                double s = Math.sin(Math.PI * r / param);
                                yield Math.exp(-2 * s * s);
                            }
                            case 4 -> a == b ? param : 0;
                            default -> 1;
                        };
            }
        }
        return k;
    }

    /**
     * The lower Cholesky factor of a symmetric positive semi-definite matrix, with a diagonal
     * jitter (10⁻⁶ times the mean diagonal, grown tenfold until the factorisation succeeds).
     *
     * @param k the matrix (not modified)
     * @return L with L Lᵀ = K + jitter·I
     */
    static double[][] cholesky(double[][] k) {
        int n = k.length;
        double meanDiagonal = 0;
        for (int i = 0; i < n; i++) {
            meanDiagonal += k[i][i] / n;
        }
        double jitter = 1e-6 * Math.max(meanDiagonal, 1e-12);
        for (int attempt = 0; attempt < 12; attempt++, jitter *= 10) {
            double[][] l = new double[n][n];
            boolean ok = true;
            for (int i = 0; i < n && ok; i++) {
                for (int j = 0; j <= i; j++) {
                    double s = k[i][j] + (i == j ? jitter : 0);
                    for (int p = 0; p < j; p++) {
                        s -= l[i][p] * l[j][p];
                    }
                    if (i == j) {
                        if (!(s > 0)) {
                            ok = false;
                            break;
                        }
                        l[i][i] = Math.sqrt(s);
                    } else {
                        l[i][j] = s / l[j][j];
                    }
                }
            }
            if (ok) {
                return l;
            }
        }
        throw new IllegalStateException("The kernel matrix is not positive semi-definite");
    }
}
