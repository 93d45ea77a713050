package io.moezoo.blocks.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding in the Llama "rotate half" convention: angle \(= p\,\theta_i\) for
 * inverse frequencies \(\theta_i\), and \(x' = x \cos + \mathrm{rotate\_half}(x) \sin\) with
 * \(\mathrm{rotate\_half}([x_1, x_2]) = [-x_2, x_1]\), cos and sin scaled by an attention factor.
 *
 * <p>{@link #standard} gives \(\theta_i = \text{base}^{-2i/d}\) (optionally with linear position
 * interpolation); {@link #yarn} gives YaRN's blend of interpolated and extrapolated frequencies
 * (DeepSeek-V2/V3). With {@code interleaved} (DeepSeek's {@code rope_interleave}), the input's
 * pairs (0,1), (2,3), … are first regrouped into halves, as the reference does.
 */
public final class RotaryEmbedding {

    private final int dim;
    private final float[] inverseFrequency;
    private final double positionScale;
    private final float attentionFactor;
    private final boolean interleaved;
    private final int headDim;

    private RotaryEmbedding(
            int dim,
            float[] inverseFrequency,
            double positionScale,
            float attentionFactor,
            boolean interleaved) {
        this(dim, inverseFrequency, positionScale, attentionFactor, interleaved, dim);
    }

    private RotaryEmbedding(
            int dim,
            float[] inverseFrequency,
            double positionScale,
            float attentionFactor,
            boolean interleaved,
            int headDim) {
        this.dim = dim;
        this.inverseFrequency = inverseFrequency;
        this.positionScale = positionScale;
        this.attentionFactor = attentionFactor;
        this.interleaved = interleaved;
        this.headDim = headDim;
    }

    /**
     * Standard RoPE, \(\theta_i = \text{base}^{-2i/d}\).
     *
     * @param dim the rotary dimension, even
     * @param base {@code rope_theta}
     * @param linearFactor the linear position-interpolation factor, 1 for none
     * @return the embedding
     */
    public static RotaryEmbedding standard(int dim, double base, double linearFactor) {
        check(dim, base, linearFactor);
        return new RotaryEmbedding(
                dim, baseFrequencies(dim, base, 1.0), 1.0 / linearFactor, 1f, false);
    }

    /**
     * YaRN RoPE (Peng et al. 2023) as DeepSeek-V2/V3 and Hugging Face compute it: frequencies below
     * the correction range are interpolated by the factor, those above it extrapolated, with a
     * linear ramp between; cos and sin are scaled by {@code mscale(factor, mscale) / mscale(factor,
     * mscaleAllDim)} where {@code mscale(s, m) = 0.1·m·ln(s) + 1} for s &gt; 1.
     *
     * @param dim the rotary dimension, even
     * @param base {@code rope_theta}
     * @param factor the context extension factor
     * @param originalMaxPositions {@code original_max_position_embeddings}
     * @param betaFast {@code beta_fast}
     * @param betaSlow {@code beta_slow}
     * @param mscale {@code mscale}
     * @param mscaleAllDim {@code mscale_all_dim}
     * @param interleaved whether input pairs are interleaved ({@code rope_interleave})
     * @return the embedding
     */
    public static RotaryEmbedding yarn(
            int dim,
            double base,
            double factor,
            double originalMaxPositions,
            double betaFast,
            double betaSlow,
            double mscale,
            double mscaleAllDim,
            boolean interleaved) {
        check(dim, base, factor);
        float[] blended =
                yarnFrequencies(dim, base, factor, originalMaxPositions, betaFast, betaSlow, true);
        float attention = (float) (yarnMscale(factor, mscale) / yarnMscale(factor, mscaleAllDim));
        return new RotaryEmbedding(dim, blended, 1.0, attention, interleaved);
    }

    /**
     * YaRN RoPE in Hugging Face's general form ({@code _compute_yarn_parameters}), for
     * grouped-query attention (gpt-oss): the same frequency blend as {@link #yarn(int, double,
     * double, double, double, double, double, double, boolean)}, with the correction range
     * floor/ceil-rounded only when {@code truncate} is set, and cos and sin multiplied by the given
     * attention factor (Hugging Face's {@code attention_factor}, by default {@code 0.1·ln(factor) +
     * 1}).
     *
     * @param dim the rotary dimension, even
     * @param base {@code rope_theta}
     * @param factor the context extension factor
     * @param originalMaxPositions {@code original_max_position_embeddings}
     * @param betaFast {@code beta_fast}
     * @param betaSlow {@code beta_slow}
     * @param truncate whether the correction range is rounded ({@code truncate}; gpt-oss: false)
     * @param attentionFactor the factor on cos and sin
     * @return the embedding
     */
    public static RotaryEmbedding yarn(
            int dim,
            double base,
            double factor,
            double originalMaxPositions,
            double betaFast,
            double betaSlow,
            boolean truncate,
            double attentionFactor) {
        check(dim, base, factor);
        float[] blended =
                yarnFrequencies(
                        dim, base, factor, originalMaxPositions, betaFast, betaSlow, truncate);
        return new RotaryEmbedding(dim, blended, 1.0, (float) attentionFactor, false);
    }

    /**
     * Returns YaRN's inverse frequencies: extrapolated (unscaled) below the correction range,
     * interpolated (divided by the factor) above it, a linear ramp between.
     *
     * @param dim the rotary dimension
     * @param base the RoPE base
     * @param factor the extension factor
     * @param originalMaxPositions the original context
     * @param betaFast β_fast
     * @param betaSlow β_slow
     * @param truncate whether low and high are floor/ceil-rounded
     * @return the dim/2 inverse frequencies
     */
    static float[] yarnFrequencies(
            int dim,
            double base,
            double factor,
            double originalMaxPositions,
            double betaFast,
            double betaSlow,
            boolean truncate) {
        float[] extrapolation = baseFrequencies(dim, base, 1.0);
        float[] interpolation = baseFrequencies(dim, base, factor);
        double low = correctionDim(betaFast, dim, base, originalMaxPositions);
        double high = correctionDim(betaSlow, dim, base, originalMaxPositions);
        if (truncate) {
            low = Math.floor(low);
            high = Math.ceil(high);
        }
        low = Math.max(low, 0);
        high = Math.min(high, dim - 1);
        if (low == high) {
            high += 0.001;
        }
        float[] blended = new float[dim / 2];
        for (int i = 0; i < dim / 2; i++) {
            float ramp = (float) Math.min(1, Math.max(0, ((float) i - low) / (high - low)));
            float extrapolate = 1 - ramp;
            blended[i] = interpolation[i] * (1 - extrapolate) + extrapolation[i] * extrapolate;
        }
        return blended;
    }

    /**
     * Returns the inverse frequencies \(\theta_i\) (a copy).
     *
     * @return dim/2 values
     */
    public float[] inverseFrequencies() {
        return inverseFrequency.clone();
    }

    /**
     * Returns the factor on cos and sin.
     *
     * @return the attention factor
     */
    public float attentionFactor() {
        return attentionFactor;
    }

    /**
     * Returns the same frequencies with DeepSeek's interleaved pair layout switched on or off.
     *
     * @param interleave true for interleaved input pairs
     * @return the embedding
     */
    public RotaryEmbedding withInterleaved(boolean interleave) {
        return new RotaryEmbedding(
                dim, inverseFrequency, positionScale, attentionFactor, interleave, headDim);
    }

    /**
     * Returns partial rotary embedding (GPT-NeoX, GLM-4.5 {@code partial_rotary_factor}): each head
     * of {@code headDim} values rotates its first {@code dim} values and passes the rest through
     * unchanged.
     *
     * @param width the head dimension, at least this embedding's dimension
     * @return the partial embedding
     * @throws IllegalArgumentException if the width is smaller than the rotary dimension
     */
    public RotaryEmbedding withHeadDim(int width) {
        if (width < dim) {
            throw new IllegalArgumentException(
                    "Head dimension " + width + " is smaller than the rotary dimension " + dim);
        }
        return new RotaryEmbedding(
                dim, inverseFrequency, positionScale, attentionFactor, interleaved, width);
    }

    /**
     * YaRN's attention temperature \(0.1\,m\ln s + 1\) for s &gt; 1, else 1.
     *
     * @param scale the factor s
     * @param mscale m
     * @return the multiplier
     */
    public static double yarnMscale(double scale, double mscale) {
        return scale <= 1 ? 1.0 : 0.1 * mscale * Math.log(scale) + 1.0;
    }

    private static double correctionDim(
            double rotations, int dim, double base, double maxPositions) {
        return dim * Math.log(maxPositions / (rotations * 2 * Math.PI)) / (2 * Math.log(base));
    }

    private static float[] baseFrequencies(int dim, double base, double factor) {
        float[] f = new float[dim / 2];
        for (int i = 0; i < dim / 2; i++) {
            // As the reference: base ** (arange(0, dim, 2).float() / dim) in float32.
            float exponent = (float) (2 * i) / dim;
            float power = (float) Math.pow(base, exponent);
            f[i] = 1f / ((float) factor * power);
        }
        return f;
    }

    private static void check(int dim, double base, double factor) {
        if (dim <= 0 || dim % 2 != 0 || !(base > 0) || !(factor > 0)) {
            throw new IllegalArgumentException(
                    "RoPE needs an even dim > 0, base > 0 and factor > 0, got "
                            + dim
                            + ", "
                            + base
                            + ", "
                            + factor);
        }
    }

    /**
     * Computes cos and sin tables for consecutive positions.
     *
     * @param manager the manager of the tables
     * @param offset the first position
     * @param length the number of positions
     * @return {@code (cos, sin)}, each {@code [length, dim]}
     */
    public NDList tables(NDManager manager, long offset, int length) {
        float[] cos = new float[length * dim];
        float[] sin = new float[length * dim];
        int half = dim / 2;
        for (int p = 0; p < length; p++) {
            float position = (float) ((offset + p) * positionScale);
            for (int i = 0; i < half; i++) {
                // Angles in float32 like the reference (inv_freq and positions are float32 there).
                float angle = position * inverseFrequency[i];
                float c = (float) Math.cos(angle) * attentionFactor;
                float s = (float) Math.sin(angle) * attentionFactor;
                cos[p * dim + i] = c;
                cos[p * dim + half + i] = c;
                sin[p * dim + i] = s;
                sin[p * dim + half + i] = s;
            }
        }
        return new NDList(
                manager.create(cos, new Shape(length, dim)),
                manager.create(sin, new Shape(length, dim)));
    }

    /**
     * Rotates the heads of one position held in a host vector (the MoeJava engine's forward uses
     * it): the same float32 angles and formula as {@link #tables} and {@link #apply}.
     *
     * @param x {@code heads} consecutive vectors of the rotary dimension; not modified
     * @param position the absolute position
     * @return the rotated heads (halves layout, as {@link #apply} returns them)
     * @throws IllegalArgumentException if x's length is not a multiple of the rotary dimension
     */
    public float[] rotateToken(float[] x, long position) {
        int width = width();
        if (x.length % width != 0) {
            throw new IllegalArgumentException(
                    "RoPE of head dimension " + width + " got " + x.length + " values");
        }
        int half = dim / 2;
        float p = (float) (position * positionScale);
        float[] cos = new float[half];
        float[] sin = new float[half];
        for (int i = 0; i < half; i++) {
            float angle = p * inverseFrequency[i];
            cos[i] = (float) Math.cos(angle) * attentionFactor;
            sin[i] = (float) Math.sin(angle) * attentionFactor;
        }
        float[] y = x.clone(); // values past the rotary dimension pass through
        for (int from = 0; from < x.length; from += width) {
            for (int i = 0; i < half; i++) {
                // Interleaved pairs (2i, 2i+1) are regrouped into halves first, as apply does.
                float first = interleaved ? x[from + 2 * i] : x[from + i];
                float second = interleaved ? x[from + 2 * i + 1] : x[from + half + i];
                y[from + i] = first * cos[i] + -second * sin[i];
                y[from + half + i] = second * cos[i] + first * sin[i];
            }
        }
        return y;
    }

    /**
     * Rotates queries or keys.
     *
     * @param x {@code [B, heads, S, headDim]}; a partial embedding ({@link #withHeadDim}) rotates
     *     the first {@code dim} values of each head only
     * @param tables the {@link #tables} for the S positions
     * @return the rotated x
     */
    public NDArray apply(NDArray x, NDList tables) {
        if (width() > dim) {
            NDList parts = x.split(new long[] {dim}, 3);
            return NDArrays.concat(new NDList(rotate(parts.get(0), tables), parts.get(1)), 3);
        }
        return rotate(x, tables);
    }

    /** The values per head; a spec read by Gson from before partial RoPE has 0 here. */
    private int width() {
        return headDim > 0 ? headDim : dim;
    }

    private NDArray rotate(NDArray x, NDList tables) {
        NDArray in = x;
        if (interleaved) {
            Shape s = x.getShape();
            in =
                    x.reshape(s.get(0), s.get(1), s.get(2), dim / 2, 2)
                            .transpose(0, 1, 2, 4, 3)
                            .reshape(s);
        }
        NDList halves = in.split(2, 3);
        NDArray rotated = NDArrays.concat(new NDList(halves.get(1).neg(), halves.get(0)), 3);
        return in.mul(tables.get(0)).add(rotated.mul(tables.get(1)));
    }
}
