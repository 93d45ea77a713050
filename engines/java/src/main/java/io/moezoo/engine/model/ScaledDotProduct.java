package io.moezoo.engine.model;

import io.moezoo.engine.kernel.MatrixOps;
import io.moezoo.engine.tensor.ArrayDot;
import io.moezoo.engine.tensor.Codecs;

/**
 * Causal softmax attention of n new queries over a layer's cached keys and values:
 * \(\mathrm{softmax}(q k^\top \cdot \text{scale})\,v\) per head, each query seeing the positions up
 * to its own (and, with a window w, the last w of them). Query head h reads key/value head {@code h
 * / (heads / kvHeads)} (grouped-query attention), or {@code h mod kvHeads} when the heads are tiled
 * (JetMoE's mixture of attention heads). Scores are float32 dot products; the softmax is float32
 * like the reference, its exponentials and the weighted sum of values vectorised ({@link
 * ArrayDot#expShifted}, {@link ArrayDot#addScaled}). The (query, head) pairs are shared among the
 * kernel threads.
 */
final class ScaledDotProduct {

    /** A thread's scores of one query over the positions it sees, sized for the last query. */
    private static final ThreadLocal<float[]> SCORES = ThreadLocal.withInitial(() -> new float[0]);

    private ScaledDotProduct() {}

    /**
     * Computes the context vectors.
     *
     * @param q {@code n × heads × keyDim} queries
     * @param n the new tokens; query t sits at position {@code past + t}
     * @param past the positions before the new ones
     * @param keys the layer's keys, position p at {@code p × kvHeads × keyDim}
     * @param values the layer's values, position p at {@code p × kvHeads × valueDim}
     * @param heads query heads
     * @param kvHeads key/value heads
     * @param keyDim the query/key head size
     * @param valueDim the value head size
     * @param scale the score scale
     * @param window the sliding window, 0 for none
     * @param tiled whether query head h reads kv head {@code h mod kvHeads}
     * @return {@code n × heads × valueDim}
     */
    static float[] attend(
            float[] q,
            int n,
            int past,
            float[] keys,
            float[] values,
            int heads,
            int kvHeads,
            int keyDim,
            int valueDim,
            float scale,
            int window,
            boolean tiled) {
        return attend(
                q, n, past, keys, values, heads, kvHeads, keyDim, valueDim, scale, window, tiled,
                null);
    }

    /**
     * Computes the context vectors with per-head sink logits (see the class comment).
     *
     * @param q {@code n × heads × keyDim} queries
     * @param n the new tokens; query t sits at position {@code past + t}
     * @param past the positions before the new ones
     * @param keys the layer's keys, position p at {@code p × kvHeads × keyDim}
     * @param values the layer's values, position p at {@code p × kvHeads × valueDim}
     * @param heads query heads
     * @param kvHeads key/value heads
     * @param keyDim the query/key head size
     * @param valueDim the value head size
     * @param scale the score scale
     * @param window the sliding window, 0 for none: query t sees key j iff {@code t − window < j ≤
     *     t}
     * @param tiled whether query head h reads kv head {@code h mod kvHeads}
     * @param sinks per query head, the sink logit; null for none
     * @return {@code n × heads × valueDim}
     */
    static float[] attend(
            float[] q,
            int n,
            int past,
            float[] keys,
            float[] values,
            int heads,
            int kvHeads,
            int keyDim,
            int valueDim,
            float scale,
            int window,
            boolean tiled,
            float[] sinks) {
        ArrayDot dot = Codecs.arrayDot();
        int groups = heads / kvHeads;
        int keyStride = kvHeads * keyDim;
        int valueStride = kvHeads * valueDim;
        float[] context = new float[n * heads * valueDim];
        long work = (long) n * heads * (past + (n + 1) / 2) * (keyDim + valueDim);
        // One unit per (query, head), spread over the kernel threads for long prompts and caches.
        MatrixOps.forEachUnit(
                n * heads,
                valueDim,
                context,
                0,
                work,
                (unit, out, at) -> {
                    int t = unit / heads;
                    int h = unit % heads;
                    int position = past + t;
                    int first = window > 0 ? Math.max(0, position + 1 - window) : 0;
                    float[] scores = SCORES.get();
                    if (scores.length < past + n) {
                        scores = new float[past + n];
                        SCORES.set(scores);
                    }
                    int kvHead = tiled ? h % kvHeads : h / groups;
                    int qAt = (t * heads + h) * keyDim;
                    float max = sinks == null ? Float.NEGATIVE_INFINITY : sinks[h];
                    for (int p = first; p <= position; p++) {
                        float s =
                                dot.dot(q, qAt, keys, p * keyStride + kvHead * keyDim, keyDim)
                                        * scale;
                        scores[p] = s;
                        max = Math.max(max, s);
                    }
                    float sum = sinks == null ? 0 : (float) Math.exp(sinks[h] - max);
                    sum += dot.expShifted(scores, first, position + 1, max);
                    java.util.Arrays.fill(out, at, at + valueDim, 0f);
                    for (int p = first; p <= position; p++) {
                        int v = p * valueStride + kvHead * valueDim;
                        dot.addScaled(scores[p] / sum, values, v, out, at, valueDim);
                    }
                });
        return context;
    }
}
