package io.moezoo.recipes.language;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;

/**
 * Perplexity of a causal language model on a token stream, window by window: window {@code w} feeds
 * tokens {@code [S·w, min(S·w + S, N − 1))} and predicts each following token, so every position
 * {@code 1 .. N − 1} of the stream is predicted once, from the tokens of its window before it.
 */
public final class Perplexity {

    private static final int BATCH = 16;

    private Perplexity() {}

    /**
     * Measures exp(mean negative log-likelihood) over every {@code stride}-th window.
     *
     * @param block the model: {@code [B, T]} ids to {@code [B, T, V]} logits
     * @param manager the manager for temporaries
     * @param tokens the stream
     * @param window S
     * @param vocabulary V
     * @param stride 1 for every window
     * @return the perplexity
     * @throws IllegalArgumentException if the stream has fewer than two tokens or stride is below 1
     */
    public static double of(
            Block block, NDManager manager, long[] tokens, int window, int vocabulary, int stride) {
        if (tokens.length < 2 || stride < 1 || window < 1) {
            throw new IllegalArgumentException(
                    "Need >= 2 tokens, window >= 1 and stride >= 1; got "
                            + tokens.length
                            + ", "
                            + window
                            + ", "
                            + stride);
        }
        int windows = (tokens.length - 1 + window - 1) / window;
        int full = (tokens.length - 1) / window;
        double sum = 0;
        long count = 0;
        int w = 0;
        while (w < windows) {
            int n = 0;
            int[] picked = new int[BATCH];
            int length = w < full ? window : tokens.length - 1 - w * window;
            while (w < windows && n < BATCH && (w < full) == (length == window)) {
                picked[n++] = w;
                w += stride;
                if (length != window) {
                    break;
                }
            }
            try (NDManager scope = manager.newSubManager()) {
                long[] x = new long[n * length];
                long[] y = new long[n * length];
                for (int i = 0; i < n; i++) {
                    System.arraycopy(tokens, picked[i] * window, x, i * length, length);
                    System.arraycopy(tokens, picked[i] * window + 1, y, i * length, length);
                }
                NDArray logits =
                        block.forward(
                                        new ParameterStore(scope, false),
                                        new NDList(scope.create(x, new Shape(n, length))),
                                        false)
                                .head();
                NDArray logProbs = logits.logSoftmax(-1).reshape(-1, vocabulary);
                sum -= logProbs.gather(scope.create(y).reshape(-1, 1), 1).sum().getFloat();
                count += (long) n * length;
            }
        }
        return Math.exp(sum / count);
    }
}
