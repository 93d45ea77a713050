package io.moezoo.blocks.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Rotary position embedding in the Llama "rotate half" convention: for head dimension d, \(\theta_i
 * = \text{base}^{-2i/d}\), angle \(= p\,\theta_i\) (p divided by the factor for {@code linear}
 * scaling), and \(x' = x \cos + \mathrm{rotate\_half}(x) \sin\) with \(\mathrm{rotate\_half}([x_1,
 * x_2]) = [-x_2, x_1]\).
 */
public final class RotaryEmbedding {

    private final int dim;
    private final double[] inverseFrequency;
    private final double positionScale;

    /**
     * Creates the embedding.
     *
     * @param dim the rotary dimension (the head dimension), even
     * @param base {@code rope_theta}
     * @param linearFactor the linear position-interpolation factor ({@code rope_scaling} {@code
     *     linear}), 1 for none
     */
    public RotaryEmbedding(int dim, double base, double linearFactor) {
        if (dim <= 0 || dim % 2 != 0 || !(base > 0) || !(linearFactor > 0)) {
            throw new IllegalArgumentException(
                    "RoPE needs an even dim > 0, base > 0 and factor > 0, got "
                            + dim
                            + ", "
                            + base
                            + ", "
                            + linearFactor);
        }
        this.dim = dim;
        inverseFrequency = new double[dim / 2];
        for (int i = 0; i < dim / 2; i++) {
            inverseFrequency[i] = 1.0 / Math.pow(base, 2.0 * i / dim);
        }
        positionScale = 1.0 / linearFactor;
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
            double position = (offset + p) * positionScale;
            for (int i = 0; i < half; i++) {
                // Angles in float32 like the reference (inv_freq and positions are float32 there).
                float angle = (float) position * (float) inverseFrequency[i];
                float c = (float) Math.cos(angle);
                float s = (float) Math.sin(angle);
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
     * Rotates queries or keys.
     *
     * @param x {@code [B, heads, S, dim]}
     * @param tables the {@link #tables} for the S positions
     * @return the rotated x
     */
    public NDArray apply(NDArray x, NDList tables) {
        NDList halves = x.split(2, 3);
        NDArray rotated = NDArrays.concat(new NDList(halves.get(1).neg(), halves.get(0)), 3);
        return x.mul(tables.get(0)).add(rotated.mul(tables.get(1)));
    }
}
