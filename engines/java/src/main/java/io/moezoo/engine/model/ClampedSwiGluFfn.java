package io.moezoo.engine.model;

import io.moezoo.engine.kernel.Product;
import io.moezoo.engine.tensor.WeightMatrix;

/**
 * One gpt-oss expert, the clamped SwiGLU of {@code ClampedSwiGluExperts}: the gate and up
 * projections, either one product over the expert's 2I fused rows, interleaved as stored (row 2j is
 * unit j's gate, row 2j + 1 its up projection), or two products over separate gate and up rows (a
 * GGUF file's split tensors), then per unit
 *
 * <pre>
 *   g = gate_j + bg_j;   u = up_j + bu_j
 *   g = min(g, limit);    u = clamp(u, −limit, limit)
 *   h = (u + 1) · g · σ(alpha · g)
 * </pre>
 *
 * and \(y = W_{down} h + b_{down}\): the down bias belongs to the expert, so the MoE layer weights
 * it with the expert's routing weight.
 */
final class ClampedSwiGluFfn implements TwoRoundFfn {

    /** The fused interleaved projection, or null when gate and up are separate. */
    private final WeightMatrix gateUp;

    private final WeightMatrix gate;
    private final WeightMatrix up;
    private final float[] gateBias;
    private final float[] upBias;
    private final WeightMatrix down;
    private final float[] downBias;
    private final float limit;
    private final float alpha;

    /**
     * Creates the expert from a fused projection.
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
        this(
                gateUp,
                null,
                null,
                split(gateUpBias, 0),
                split(gateUpBias, 1),
                down,
                downBias,
                limit,
                alpha);
        if (gateUp.rows() != 2 * down.cols() || gateUpBias.length != gateUp.rows()) {
            throw mismatch(gateUp + " with " + gateUpBias.length + " biases", down, downBias);
        }
    }

    /**
     * Creates the expert from separate gate and up projections.
     *
     * @param gate {@code [I, H]}
     * @param gateBias {@code [I]}
     * @param up {@code [I, H]}
     * @param upBias {@code [I]}
     * @param down {@code [H, I]}
     * @param downBias {@code [H]}
     * @param limit the clamp limit
     * @param alpha the factor inside the sigmoid
     */
    ClampedSwiGluFfn(
            WeightMatrix gate,
            float[] gateBias,
            WeightMatrix up,
            float[] upBias,
            WeightMatrix down,
            float[] downBias,
            float limit,
            float alpha) {
        this(null, gate, up, gateBias, upBias, down, downBias, limit, alpha);
        if (gate.rows() != down.cols()
                || up.rows() != down.cols()
                || up.cols() != gate.cols()
                || gateBias.length != gate.rows()
                || upBias.length != up.rows()) {
            throw mismatch(gate + " and " + up, down, downBias);
        }
    }

    private ClampedSwiGluFfn(
            WeightMatrix gateUp,
            WeightMatrix gate,
            WeightMatrix up,
            float[] gateBias,
            float[] upBias,
            WeightMatrix down,
            float[] downBias,
            float limit,
            float alpha) {
        int cols = gateUp != null ? gateUp.cols() : gate.cols();
        if (downBias.length != down.rows() || cols != down.rows()) {
            throw mismatch(gateUp != null ? gateUp.toString() : gate.toString(), down, downBias);
        }
        this.gateUp = gateUp;
        this.gate = gate;
        this.up = up;
        this.gateBias = gateBias;
        this.upBias = upBias;
        this.down = down;
        this.downBias = downBias;
        this.limit = limit;
        this.alpha = alpha;
    }

    private static IllegalArgumentException mismatch(
            String first, WeightMatrix down, float[] downBias) {
        return new IllegalArgumentException(
                "Clamped SwiGLU expert: "
                        + first
                        + " does not fit down "
                        + down
                        + " with "
                        + downBias.length
                        + " biases");
    }

    /** The even (parity 0) or odd entries of an interleaved bias. */
    private static float[] split(float[] interleaved, int parity) {
        float[] out = new float[interleaved.length / 2];
        for (int j = 0; j < out.length; j++) {
            out[j] = interleaved[2 * j + parity];
        }
        return out;
    }

    @Override
    public int hidden() {
        return down.rows();
    }

    @Override
    public long bytesPerToken() {
        long first = gateUp != null ? gateUp.byteSize() : gate.byteSize() + up.byteSize();
        return first + down.byteSize() + 4L * (2 * gateBias.length + downBias.length);
    }

    @Override
    public FfnRounds start(float[] x, int xOffset, int n) {
        Rounds rounds = new Rounds(n);
        if (gateUp != null) {
            rounds.products.add(new Product(gateUp, x, xOffset, rounds.first, 0, n));
        } else {
            rounds.products.add(new Product(gate, x, xOffset, rounds.first, 0, n));
            rounds.products.add(new Product(up, x, xOffset, rounds.second, 0, n));
        }
        return rounds;
    }

    /** The first round's outputs: fused (interleaved), or gate and up. */
    private final class Rounds extends FfnRounds {
        final float[] first;
        final float[] second;
        final float[] h;

        Rounds(int n) {
            super(n);
            int units = down.cols();
            h = new float[n * units];
            first = new float[n * (gateUp != null ? 2 * units : units)];
            second = gateUp != null ? null : new float[n * units];
        }

        @Override
        void activate() {
            int units = down.cols();
            for (int t = 0; t < n; t++) {
                for (int j = 0; j < units; j++) {
                    float g;
                    float u;
                    if (second == null) {
                        g = first[t * 2 * units + 2 * j];
                        u = first[t * 2 * units + 2 * j + 1];
                    } else {
                        g = first[t * units + j];
                        u = second[t * units + j];
                    }
                    g = Math.min(g + gateBias[j], limit);
                    u = Math.max(-limit, Math.min(u + upBias[j], limit));
                    h[t * units + j] = (u + 1f) * (g * Vectors.sigmoid(alpha * g));
                }
            }
        }

        @Override
        long activationWork() {
            return 20L * h.length;
        }

        @Override
        Product finish(float[] out) {
            return new Product(down, h, 0, out, 0, n);
        }

        @Override
        void complete(float[] out) {
            Vectors.addBias(out, downBias, n);
        }
    }
}
