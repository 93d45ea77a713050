package io.moezoo.engine.model;

import io.moezoo.blocks.attention.MoaSpec;
import io.moezoo.blocks.attention.RotaryEmbedding;
import io.moezoo.engine.kernel.MatrixOps;
import io.moezoo.engine.kernel.Product;
import io.moezoo.engine.tensor.WeightMatrix;
import java.util.ArrayList;
import java.util.List;

/**
 * JetMoE's mixture of attention heads: attention experts own the query and output projections, keys
 * and values are shared.
 *
 * <pre>
 *   k, v   = split(kv_proj(x))                      n shared heads of size d (keys first)
 *   (e, g) = top-k-softmax router(x)                k experts per token with gates g
 *   q      = [W_in[e_1] x, …, W_in[e_k] x]          k·n query heads; head s·n + j reads kv head j
 *   y      = Σ_s g_s · W_out[e_s] o_s + bias       o = causal attention(RoPE(q), RoPE(k), v)
 * </pre>
 */
final class MoaAttention implements Attention {

    private final MoaSpec spec;
    private final RotaryEmbedding rope;
    private final WeightMatrix kvProj;
    private final WeightMatrix router;
    private final TokenRouter routing;
    private final WeightMatrix inputLinear;
    private final WeightMatrix outputLinear;
    private final float[] bias;

    MoaAttention(
            MoaSpec spec,
            WeightMatrix kvProj,
            WeightMatrix router,
            WeightMatrix inputLinear,
            WeightMatrix outputLinear,
            float[] bias) {
        this.spec = spec;
        this.rope = RotaryEmbedding.standard(spec.headDim(), spec.ropeTheta(), 1.0);
        this.kvProj = kvProj;
        this.router = router;
        this.routing = new TokenRouter(spec.router());
        this.inputLinear = inputLinear;
        this.outputLinear = outputLinear;
        this.bias = bias;
    }

    @Override
    public int keyWidth() {
        return spec.projectionSize();
    }

    @Override
    public int valueWidth() {
        return spec.projectionSize();
    }

    @Override
    public long bytesPerToken() {
        long perExpert = (inputLinear.byteSize() + outputLinear.byteSize()) / spec.numExperts();
        return kvProj.byteSize() + router.byteSize() + spec.topK() * perExpert;
    }

    @Override
    public float[] forward(float[] x, int n, KvCache cache, int layer) {
        int h = spec.hiddenSize();
        int e = spec.numExperts();
        int k = spec.topK();
        int p = spec.projectionSize();
        float[] logits = new float[n * e];
        float[] kv = new float[n * 2 * p];
        MatrixOps.run(
                List.of(
                        new Product(router, x, 0, logits, 0, n),
                        new Product(kvProj, x, 0, kv, 0, n)));
        TokenRouter.Choice[] choices = new TokenRouter.Choice[n];
        float[] row = new float[e];
        for (int t = 0; t < n; t++) {
            System.arraycopy(logits, t * e, row, 0, e);
            choices[t] = routing.route(row, null);
        }
        // Queries: slot s of token t from expert e_s, grouped by expert.
        float[] q = new float[n * k * p];
        runGrouped(choices, n, inputLinear, p, x, h, q, true);
        int past = cache.length();
        float[] keys = cache.keys(layer);
        float[] values = cache.values(layer);
        for (int t = 0; t < n; t++) {
            float[] qt = new float[k * p];
            System.arraycopy(q, t * k * p, qt, 0, k * p);
            System.arraycopy(rope.rotateToken(qt, past + t), 0, q, t * k * p, k * p);
            float[] kt = new float[p];
            System.arraycopy(kv, t * 2 * p, kt, 0, p);
            System.arraycopy(rope.rotateToken(kt, past + t), 0, keys, (past + t) * p, p);
            System.arraycopy(kv, t * 2 * p + p, values, (past + t) * p, p);
        }
        float[] context =
                ScaledDotProduct.attend(
                        q,
                        n,
                        past,
                        keys,
                        values,
                        k * spec.numKvHeads(),
                        spec.numKvHeads(),
                        spec.headDim(),
                        spec.headDim(),
                        (float) (1 / Math.sqrt(spec.headDim())),
                        0,
                        true);
        float[] y = new float[n * h];
        runGrouped(choices, n, outputLinear, h, context, p, y, false);
        Vectors.addBias(y, bias, n);
        return y;
    }

    /**
     * Runs each chosen expert's slice of a stacked projection on its (token, slot) inputs. For the
     * queries ({@code toSlots}), input rows are tokens and outputs go to each slot; for the output
     * projection, inputs are slots and outputs are added to their token weighted by the gate.
     */
    private void runGrouped(
            TokenRouter.Choice[] choices,
            int n,
            WeightMatrix stacked,
            int outWidth,
            float[] in,
            int inWidth,
            float[] out,
            boolean toSlots) {
        int e = spec.numExperts();
        int k = spec.topK();
        List<List<int[]>> slots = new ArrayList<>();
        for (int j = 0; j < e; j++) {
            slots.add(new ArrayList<>());
        }
        for (int t = 0; t < n; t++) {
            int[] chosen = choices[t].experts();
            for (int s = 0; s < k; s++) {
                slots.get(chosen[s]).add(new int[] {t, s});
            }
        }
        List<Product> products = new ArrayList<>();
        float[][] results = new float[e][];
        for (int j = 0; j < e; j++) {
            List<int[]> mine = slots.get(j);
            if (mine.isEmpty()) {
                continue;
            }
            float[] gathered = new float[mine.size() * inWidth];
            for (int i = 0; i < mine.size(); i++) {
                int[] ts = mine.get(i);
                int from = toSlots ? ts[0] * inWidth : (ts[0] * k + ts[1]) * inWidth;
                System.arraycopy(in, from, gathered, i * inWidth, inWidth);
            }
            results[j] = new float[mine.size() * outWidth];
            products.add(
                    new Product(
                            stacked.rowRange(j * outWidth, outWidth),
                            gathered,
                            0,
                            results[j],
                            0,
                            mine.size()));
        }
        MatrixOps.run(products);
        for (int j = 0; j < e; j++) {
            List<int[]> mine = slots.get(j);
            for (int i = 0; i < mine.size(); i++) {
                int t = mine.get(i)[0];
                int s = mine.get(i)[1];
                if (toSlots) {
                    System.arraycopy(
                            results[j], i * outWidth, out, (t * k + s) * outWidth, outWidth);
                } else {
                    float gate = choices[t].weights()[s];
                    for (int c = 0; c < outWidth; c++) {
                        out[t * outWidth + c] += gate * results[j][i * outWidth + c];
                    }
                }
            }
        }
    }
}
