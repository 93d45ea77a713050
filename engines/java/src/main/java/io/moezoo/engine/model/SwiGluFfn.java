package io.moezoo.engine.model;

import io.moezoo.engine.kernel.Product;
import io.moezoo.engine.tensor.WeightMatrix;

/**
 * \(y = W_{down}(\mathrm{silu}(W_{gate} x) \odot W_{up} x)\), optionally times \(\sigma(w_g \cdot
 * x)\) per token (Qwen2-MoE's gated shared expert): a dense FFN layer, a shared expert, or one
 * routed expert. The gate and up projections may be two halves of one fused matrix.
 */
final class SwiGluFfn implements TwoRoundFfn {

    private final WeightMatrix gate;
    private final WeightMatrix up;
    private final WeightMatrix down;
    private final WeightMatrix outputGate;

    SwiGluFfn(WeightMatrix gate, WeightMatrix up, WeightMatrix down, WeightMatrix outputGate) {
        this.gate = gate;
        this.up = up;
        this.down = down;
        this.outputGate = outputGate;
    }

    int intermediate() {
        return gate.rows();
    }

    @Override
    public int hidden() {
        return down.rows();
    }

    @Override
    public long bytesPerToken() {
        return gate.byteSize()
                + up.byteSize()
                + down.byteSize()
                + (outputGate == null ? 0 : outputGate.byteSize());
    }

    /** The first round: gate and up projections (and the output gate) of n rows of x. */
    @Override
    public FfnRounds start(float[] x, int xOffset, int n) {
        Rounds p = new Rounds(n);
        p.products.add(new Product(gate, x, xOffset, p.gated, 0, n));
        p.products.add(new Product(up, x, xOffset, p.upped, 0, n));
        if (outputGate != null) {
            p.products.add(new Product(outputGate, x, xOffset, p.scale, 0, n));
        }
        return p;
    }

    /** The gate and up projections' outputs (and the output gate's) between the two rounds. */
    private final class Rounds extends FfnRounds {
        final float[] gated;
        final float[] upped;
        final float[] scale;
        final float[] hidden;

        Rounds(int n) {
            super(n);
            gated = new float[n * intermediate()];
            upped = new float[n * intermediate()];
            scale = outputGate != null ? new float[n] : null;
            hidden = new float[n * intermediate()];
        }

        @Override
        void activate() {
            Vectors.swiGlu(gated, 0, upped, 0, hidden, 0, hidden.length);
        }

        @Override
        long activationWork() {
            return 20L * hidden.length;
        }

        /** The second round: the down projection of the activated first round into out. */
        @Override
        Product finish(float[] out) {
            return new Product(down, hidden, 0, out, 0, n);
        }

        /** Scales row t of out by the output gate σ(w_g·x_t), if there is one. */
        @Override
        void complete(float[] out) {
            if (scale == null) {
                return;
            }
            int h = hidden();
            for (int t = 0; t < n; t++) {
                float s = Vectors.sigmoid(scale[t]);
                for (int i = 0; i < h; i++) {
                    out[t * h + i] *= s;
                }
            }
        }
    }
}
