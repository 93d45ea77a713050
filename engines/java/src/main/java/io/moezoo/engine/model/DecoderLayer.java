package io.moezoo.engine.model;

/**
 * One pre-norm decoder layer: \(h = x + \mathrm{Attn}(\mathrm{RMSNorm}(x))\), \(y = h +
 * \mathrm{FFN}(\mathrm{RMSNorm}(h))\).
 */
final class DecoderLayer {

    private final float[] inputNorm;
    private final Attention attention;
    private final float[] postAttentionNorm;
    private final FeedForward ffn;
    private final float eps;
    private final float residualScale;

    DecoderLayer(
            float[] inputNorm,
            Attention attention,
            float[] postAttentionNorm,
            FeedForward ffn,
            float eps,
            float residualScale) {
        this.inputNorm = inputNorm;
        this.attention = attention;
        this.postAttentionNorm = postAttentionNorm;
        this.ffn = ffn;
        this.eps = eps;
        this.residualScale = residualScale;
    }

    Attention attention() {
        return attention;
    }

    long bytesPerToken() {
        return attention.bytesPerToken() + ffn.bytesPerToken() + 8L * inputNorm.length;
    }

    /**
     * Runs the new tokens of one or more sequences, updating x ({@code Σ counts × H}, sequence by
     * sequence) in place; the feed-forward part runs over all rows at once.
     */
    void forward(float[] x, int[] counts, KvCache[] caches, int index) {
        int n = x.length / postAttentionNorm.length;
        float[] attended =
                attention.forward(Vectors.rmsNormed(x, inputNorm, eps), counts, caches, index);
        for (int i = 0; i < x.length; i++) {
            x[i] += residualScale * attended[i];
        }
        float[] mixed = ffn.forward(Vectors.rmsNormed(x, postAttentionNorm, eps), n);
        for (int i = 0; i < x.length; i++) {
            x[i] += residualScale * mixed[i];
        }
    }
}
