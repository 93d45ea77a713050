package io.moezoo.engine.model;

import io.moezoo.engine.kernel.MatrixOps;
import io.moezoo.engine.kernel.Product;
import io.moezoo.engine.tensor.WeightMatrix;
import java.util.ArrayList;
import java.util.List;

/**
 * \(y = W_{down}(\mathrm{silu}(W_{gate} x) \odot W_{up} x)\), optionally times \(\sigma(w_g \cdot
 * x)\) per token (Qwen2-MoE's gated shared expert): a dense FFN layer, a shared expert, or one
 * routed expert. The gate and up projections may be two halves of one fused matrix.
 */
final class SwiGluFfn implements FeedForward {

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

    int hidden() {
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
    Pending start(float[] x, int xOffset, int n) {
        Pending p = new Pending(n, intermediate(), outputGate != null);
        p.products.add(new Product(gate, x, xOffset, p.gate, 0, n));
        p.products.add(new Product(up, x, xOffset, p.up, 0, n));
        if (outputGate != null) {
            p.products.add(new Product(outputGate, x, xOffset, p.scale, 0, n));
        }
        return p;
    }

    /** The second round: the down projection of the activated first round into out. */
    Product finish(Pending p, float[] out) {
        Vectors.swiGlu(p.gate, 0, p.up, 0, p.gate, 0, p.gate.length);
        return new Product(down, p.gate, 0, out, 0, p.n);
    }

    /** Scales row t of out by the output gate σ(w_g·x_t), if there is one. */
    void gateOutput(Pending p, float[] out) {
        if (outputGate == null) {
            return;
        }
        int h = hidden();
        for (int t = 0; t < p.n; t++) {
            float s = Vectors.sigmoid(p.scale[t]);
            for (int i = 0; i < h; i++) {
                out[t * h + i] *= s;
            }
        }
    }

    @Override
    public float[] forward(float[] x, int n) {
        Pending p = start(x, 0, n);
        MatrixOps.run(p.products);
        float[] out = new float[n * hidden()];
        MatrixOps.run(finish(p, out));
        gateOutput(p, out);
        return out;
    }

    /** The buffers between the two rounds. */
    static final class Pending {
        final int n;
        final float[] gate;
        final float[] up;
        final float[] scale;
        final List<Product> products = new ArrayList<>(3);

        Pending(int n, int intermediate, boolean gated) {
            this.n = n;
            gate = new float[n * intermediate];
            up = new float[n * intermediate];
            scale = gated ? new float[n] : null;
        }
    }
}
