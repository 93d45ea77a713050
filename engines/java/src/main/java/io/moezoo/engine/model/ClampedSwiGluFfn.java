package io.moezoo.engine.model;

import io.moezoo.engine.kernel.Product;
import io.moezoo.engine.tensor.WeightMatrix;

/**
 * One gpt-oss expert, the clamped SwiGLU of {@code ClampedSwiGluExperts}: one product over the
 * expert's 2I fused rows, interleaved as stored (row 2j is unit j's gate, row 2j + 1 its up
 * projection), then per unit
 *
 * <pre>
 *   g = gu[2j] + b[2j];   u = gu[2j + 1] + b[2j + 1]
 *   g = min(g, limit);    u = clamp(u, −limit, limit)
 *   h = (u + 1) · g · σ(alpha · g)
 * </pre>
 *
 * and \(y = W_{down} h + b_{down}\): the down bias belongs to the expert, so the MoE layer weights
 * it with the expert's routing weight.
 */
final class ClampedSwiGluFfn implements TwoRoundFfn {

    private final WeightMatrix gateUp;
    private final float[] gateUpBias;
    private final WeightMatrix down;
    private final float[] downBias;
    private final float limit;
    private final float alpha;

    /**
     * Creates the expert.
     *
     * @param gateUp {@code [2I, H]}, gate and up rows interleaved
     * @param gateUpBias {@code [2I]}, interleaved the same way
     * @param down {@code [H, I]}
     * @param downBias {@code [H]}
     * @param limit the clamp limit (gpt-oss: 7)
     * @param alpha the factor inside the sigmoid (gpt-oss: 1.702)
     */
    ClampedSwiGluFfn(
            WeightMatrix gateUp,
            float[] gateUpBias,
            WeightMatrix down,
            float[] downBias,
            float limit,
            float alpha) {
        if (gateUp.rows() != 2 * down.cols()
                || gateUpBias.length != gateUp.rows()
                || downBias.length != down.rows()
                || gateUp.cols() != down.rows()) {
            throw new IllegalArgumentException(
                    "Clamped SwiGLU expert: gate_up "
                            + gateUp
                            + " with "
                            + gateUpBias.length
                            + " biases does not fit down "
                            + down
                            + " with "
                            + downBias.length);
        }
        this.gateUp = gateUp;
        this.gateUpBias = gateUpBias;
        this.down = down;
        this.downBias = downBias;
        this.limit = limit;
        this.alpha = alpha;
    }

    @Override
    public int hidden() {
        return down.rows();
    }

    @Override
    public long bytesPerToken() {
        return gateUp.byteSize() + down.byteSize() + 4L * (gateUpBias.length + downBias.length);
    }

    @Override
    public FfnRounds start(float[] x, int xOffset, int n) {
        Rounds rounds = new Rounds(n);
        rounds.products.add(new Product(gateUp, x, xOffset, rounds.fused, 0, n));
        return rounds;
    }

    /** The fused projection's outputs between the two rounds. */
    private final class Rounds extends FfnRounds {
        final float[] fused;

        Rounds(int n) {
            super(n);
            fused = new float[n * gateUp.rows()];
        }

        @Override
        Product finish(float[] out) {
            int units = down.cols();
            float[] h = new float[n * units];
            for (int t = 0; t < n; t++) {
                int row = t * 2 * units;
                for (int j = 0; j < units; j++) {
                    float g = Math.min(fused[row + 2 * j] + gateUpBias[2 * j], limit);
                    float u = fused[row + 2 * j + 1] + gateUpBias[2 * j + 1];
                    u = Math.max(-limit, Math.min(u, limit));
                    h[t * units + j] = (u + 1f) * (g * Vectors.sigmoid(alpha * g));
                }
            }
            return new Product(down, h, 0, out, 0, n);
        }

        @Override
        void complete(float[] out) {
            Vectors.addBias(out, downBias, n);
        }
    }
}
