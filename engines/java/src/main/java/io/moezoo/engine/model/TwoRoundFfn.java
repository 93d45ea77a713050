package io.moezoo.engine.model;

import io.moezoo.engine.kernel.MatrixOps;
import java.util.List;

/**
 * A feed-forward block computed in two rounds of matrix products, input projections and then the
 * output projection, so that an MoE layer can run the rounds of all its active experts (and its
 * shared expert) as two parallel batches: a SwiGLU FFN or expert, or a gpt-oss clamped SwiGLU
 * expert.
 */
interface TwoRoundFfn extends FeedForward {

    /**
     * Starts a pass over n rows of x: the returned rounds hold the input projections to run.
     *
     * @param x the inputs
     * @param xOffset the first input value
     * @param n the rows
     * @return the pending pass
     */
    FfnRounds start(float[] x, int xOffset, int n);

    /**
     * Returns the output width H.
     *
     * @return H
     */
    int hidden();

    /**
     * Runs both rounds.
     *
     * @param x the normalised inputs, {@code n × H}
     * @param n the tokens
     * @return {@code n × H}
     */
    @Override
    default float[] forward(float[] x, int n) {
        FfnRounds rounds = start(x, 0, n);
        MatrixOps.run(rounds.products);
        FfnRounds.activateAll(List.of(rounds));
        float[] out = new float[n * hidden()];
        MatrixOps.run(rounds.finish(out));
        rounds.complete(out);
        return out;
    }
}
