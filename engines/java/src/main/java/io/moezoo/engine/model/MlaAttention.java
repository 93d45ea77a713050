package io.moezoo.engine.model;

import io.moezoo.blocks.attention.MlaSpec;
import io.moezoo.engine.kernel.MatrixOps;
import io.moezoo.engine.kernel.Product;
import io.moezoo.engine.tensor.WeightMatrix;
import java.util.ArrayList;
import java.util.List;

/**
 * DeepSeek-V2/V3 multi-head latent attention.
 *
 * <pre>
 *   q            = q_b(RMSNorm(q_a(x)))  (or q_proj(x)), per head [nope | rope]
 *   [c_kv, k_pe] = kv_a_proj_with_mqa(x);  per head [k_nope | v] = kv_b(RMSNorm(c_kv))
 *   q_pe, k_pe   = RoPE (one k_pe shared by every head)
 *   y            = o_proj(softmax(scale · [q_nope|q_pe]·[k_nope|k_pe]ᵀ) · v)
 * </pre>
 *
 * The cache holds each position's per-head keys {@code heads × (nope + rope)} and values {@code
 * heads × v}, as the reference's cache does.
 */
final class MlaAttention implements Attention {

    private final MlaSpec spec;
    private final WeightMatrix qProj;
    private final WeightMatrix qA;
    private final float[] qANorm;
    private final WeightMatrix qB;
    private final WeightMatrix kvA;
    private final float[] kvANorm;
    private final WeightMatrix kvB;
    private final WeightMatrix o;

    MlaAttention(
            MlaSpec spec,
            WeightMatrix qProj,
            WeightMatrix qA,
            float[] qANorm,
            WeightMatrix qB,
            WeightMatrix kvA,
            float[] kvANorm,
            WeightMatrix kvB,
            WeightMatrix o) {
        this.spec = spec;
        this.qProj = qProj;
        this.qA = qA;
        this.qANorm = qANorm;
        this.qB = qB;
        this.kvA = kvA;
        this.kvANorm = kvANorm;
        this.kvB = kvB;
        this.o = o;
    }

    @Override
    public int keyWidth() {
        return spec.numHeads() * spec.qkHeadDim();
    }

    @Override
    public int valueWidth() {
        return spec.numHeads() * spec.vHeadDim();
    }

    @Override
    public long bytesPerToken() {
        long bytes = kvA.byteSize() + kvB.byteSize() + o.byteSize();
        return bytes + (qProj != null ? qProj.byteSize() : qA.byteSize() + qB.byteSize());
    }

    @Override
    public float[] forward(float[] x, int n, KvCache cache, int layer) {
        int heads = spec.numHeads();
        int nope = spec.qkNopeHeadDim();
        int rope = spec.qkRopeHeadDim();
        int qk = spec.qkHeadDim();
        int vDim = spec.vHeadDim();
        int latent = spec.kvLoraRank();
        float[] q = new float[n * heads * qk];
        float[] kvLatent = new float[n * kvA.rows()];
        List<Product> first = new ArrayList<>();
        float[] qLatent = null;
        if (qProj != null) {
            first.add(new Product(qProj, x, 0, q, 0, n));
        } else {
            qLatent = new float[n * qA.rows()];
            first.add(new Product(qA, x, 0, qLatent, 0, n));
        }
        first.add(new Product(kvA, x, 0, kvLatent, 0, n));
        MatrixOps.run(first);
        // The latent parts are normalised; k_pe is the tail of each token's kv_a output.
        float[] compressed = new float[n * latent];
        float[] kPe = new float[n * rope];
        for (int t = 0; t < n; t++) {
            System.arraycopy(kvLatent, t * (latent + rope), compressed, t * latent, latent);
            System.arraycopy(kvLatent, t * (latent + rope) + latent, kPe, t * rope, rope);
        }
        Vectors.rmsNorm(compressed, 0, compressed.length, kvANorm, spec.rmsNormEps());
        float[] kv = new float[n * heads * (nope + vDim)];
        List<Product> second = new ArrayList<>();
        second.add(new Product(kvB, compressed, 0, kv, 0, n));
        if (qLatent != null) {
            Vectors.rmsNorm(qLatent, 0, qLatent.length, qANorm, spec.rmsNormEps());
            second.add(new Product(qB, qLatent, 0, q, 0, n));
        }
        MatrixOps.run(second);
        int past = cache.length();
        float[] keys = cache.keys(layer);
        float[] values = cache.values(layer);
        float[] qPe = new float[heads * rope];
        for (int t = 0; t < n; t++) {
            int position = past + t;
            for (int h = 0; h < heads; h++) {
                System.arraycopy(q, (t * heads + h) * qk + nope, qPe, h * rope, rope);
            }
            float[] rotated = spec.rope().rotateToken(qPe, position);
            for (int h = 0; h < heads; h++) {
                System.arraycopy(rotated, h * rope, q, (t * heads + h) * qk + nope, rope);
            }
            float[] kRot = spec.rope().rotateToken(Vectors.slice(kPe, t * rope, rope), position);
            for (int h = 0; h < heads; h++) {
                int key = position * keyWidth() + h * qk;
                int kvAt = (t * heads + h) * (nope + vDim);
                System.arraycopy(kv, kvAt, keys, key, nope);
                System.arraycopy(kRot, 0, keys, key + nope, rope);
                System.arraycopy(kv, kvAt + nope, values, position * valueWidth() + h * vDim, vDim);
            }
        }
        float[] context =
                ScaledDotProduct.attend(
                        q,
                        n,
                        past,
                        keys,
                        values,
                        heads,
                        heads,
                        qk,
                        vDim,
                        (float) spec.softmaxScale(),
                        0,
                        false);
        float[] out = new float[n * spec.hiddenSize()];
        MatrixOps.run(new Product(o, context, 0, out, 0, n));
        return out;
    }
}
