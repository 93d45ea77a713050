package io.moezoo.engine.model;

import io.moezoo.engine.kernel.MatrixOps;
import io.moezoo.engine.kernel.Product;
import io.moezoo.engine.tensor.WeightMatrix;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A sparse MoE FFN: the router's logits \(x W_r^\top\), each token's experts and weights from
 * {@link TokenRouter}, the chosen experts run on just their tokens, and \(y_t = \sum_{e} w_{t,e}
 * E_e(x_t)\) plus the shared expert (if any) and the output bias (JetMoE). An expert is a SwiGLU
 * FFN or a gpt-oss clamped SwiGLU with biases (whose down bias is inside the weighted sum).
 *
 * <p>Only the experts some token chose are read. Their input projections (and the shared expert's)
 * form one parallel batch, their output projections a second.
 */
final class MoeFfn implements FeedForward {

    private final WeightMatrix router;
    private final float[] correctionBias;
    private final TokenRouter routing;
    private final TwoRoundFfn[] experts;
    private final TwoRoundFfn shared;
    private final float[] outputBias;

    MoeFfn(
            WeightMatrix router,
            float[] correctionBias,
            TokenRouter routing,
            TwoRoundFfn[] experts,
            TwoRoundFfn shared,
            float[] outputBias) {
        this.router = router;
        this.correctionBias = correctionBias;
        this.routing = routing;
        this.experts = experts;
        this.shared = shared;
        this.outputBias = outputBias;
    }

    @Override
    public long bytesPerToken() {
        long experts = 0;
        for (TwoRoundFfn e : this.experts) {
            experts += e.bytesPerToken();
        }
        long chosen = experts / this.experts.length * routing.topK();
        return router.byteSize() + chosen + (shared == null ? 0 : shared.bytesPerToken());
    }

    @Override
    public float[] forward(float[] x, int n) {
        int h = router.cols();
        int e = experts.length;
        float[] logits = new float[n * e];
        MatrixOps.run(new Product(router, x, 0, logits, 0, n));
        // The tokens of each expert, in token order.
        int[][] tokens = new int[e][];
        int[] counts = new int[e];
        TokenRouter.Choice[] choices = new TokenRouter.Choice[n];
        float[] row = new float[e];
        for (int t = 0; t < n; t++) {
            System.arraycopy(logits, t * e, row, 0, e);
            choices[t] = routing.route(row, correctionBias);
            for (int expert : choices[t].experts()) {
                counts[expert]++;
            }
        }
        for (int j = 0; j < e; j++) {
            tokens[j] = new int[counts[j]];
            counts[j] = 0;
        }
        for (int t = 0; t < n; t++) {
            int[] chosen = choices[t].experts();
            for (int j : chosen) {
                tokens[j][counts[j]++] = t;
            }
        }
        // Round 1: input projections of the active experts (on their gathered tokens) and the
        // shared expert (on all tokens).
        List<Product> first = new ArrayList<>();
        FfnRounds[] pending = new FfnRounds[e];
        for (int j = 0; j < e; j++) {
            if (tokens[j].length == 0) {
                continue;
            }
            float[] gathered = new float[tokens[j].length * h];
            for (int i = 0; i < tokens[j].length; i++) {
                System.arraycopy(x, tokens[j][i] * h, gathered, i * h, h);
            }
            pending[j] = experts[j].start(gathered, 0, tokens[j].length);
            first.addAll(pending[j].products);
        }
        FfnRounds sharedPending = shared == null ? null : shared.start(x, 0, n);
        if (sharedPending != null) {
            first.addAll(sharedPending.products);
        }
        MatrixOps.run(first);
        List<FfnRounds> active = new ArrayList<>();
        for (FfnRounds r : pending) {
            if (r != null) {
                active.add(r);
            }
        }
        if (sharedPending != null) {
            active.add(sharedPending);
        }
        FfnRounds.activateAll(active);
        // Round 2: output projections.
        List<Product> second = new ArrayList<>();
        float[][] outputs = new float[e][];
        for (int j = 0; j < e; j++) {
            if (pending[j] != null) {
                outputs[j] = new float[tokens[j].length * h];
                second.add(pending[j].finish(outputs[j]));
            }
        }
        float[] sharedOut = sharedPending == null ? null : new float[n * h];
        if (sharedPending != null) {
            second.add(sharedPending.finish(sharedOut));
        }
        MatrixOps.run(second);
        for (int j = 0; j < e; j++) {
            if (pending[j] != null) {
                pending[j].complete(outputs[j]);
            }
        }
        if (sharedPending != null) {
            sharedPending.complete(sharedOut);
        }
        // Combine, in each token's choice order, after the shared expert's output.
        float[] y = new float[n * h];
        MatrixOps.forEachUnit(
                n,
                h,
                y,
                0,
                (long) n * h * routing.topK(),
                (t, out, at) -> {
                    if (sharedOut != null) {
                        System.arraycopy(sharedOut, t * h, out, at, h);
                    } else {
                        Arrays.fill(out, at, at + h, 0f);
                    }
                    int[] chosen = choices[t].experts();
                    for (int i = 0; i < chosen.length; i++) {
                        int j = chosen[i];
                        int from = indexOf(tokens[j], t) * h;
                        float w = choices[t].weights()[i];
                        for (int c = 0; c < h; c++) {
                            out[at + c] += w * outputs[j][from + c];
                        }
                    }
                });
        Vectors.addBias(y, outputBias, n);
        return y;
    }

    private static int indexOf(int[] sorted, int value) {
        int i = Arrays.binarySearch(sorted, value);
        if (i < 0) {
            throw new IllegalStateException("token " + value + " not routed");
        }
        return i;
    }
}
