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

    /** Runs n tokens, updating x ({@code n × H}) in place. */
    void forward(float[] x, int n, KvCache cache, int index) {
        float[] attended = attention.forward(Vectors.rmsNormed(x, inputNorm, eps), n, cache, index);
        for (int i = 0; i < x.length; i++) {
            x[i] += residualScale * attended[i];
        }
        float[] mixed = ffn.forward(Vectors.rmsNormed(x, postAttentionNorm, eps), n);
        for (int i = 0; i < x.length; i++) {
            x[i] += residualScale * mixed[i];
        }
    }
}
