package io.moezoo.engine.model;

import io.moezoo.engine.kernel.MatrixOps;
import io.moezoo.engine.kernel.Product;
import java.util.ArrayList;
import java.util.List;

/**
 * One pending pass of a {@link TwoRoundFfn} over n rows: the input projections of the first round
 * (to be run by the caller, batched with other FFNs' products), then {@link #activate}, which
 * activates their outputs (passes of several FFNs may be activated in parallel: {@link
 * #activateAll}), then {@link #finish}, which returns the output projection of the second round,
 * then {@link #complete}, which applies what follows that projection (an output gate, a bias).
 */
abstract class FfnRounds {

    /** The rows. */
    final int n;

    /** The first round's products. */
    final List<Product> products = new ArrayList<>(3);

    /**
     * Starts a pass.
     *
     * @param n the rows
     */
    FfnRounds(int n) {
        this.n = n;
    }

    /**
     * Activates the first round's outputs (once its products have run) into the second round's
     * input. Idempotent (it leaves the first round's outputs as they are), so that {@link
     * MatrixOps#forEachTask} may run it on any thread.
     */
    abstract void activate();

    /**
     * Estimates the operations of {@link #activate}.
     *
     * @return about 20 per activated value (an exponential)
     */
    abstract long activationWork();

    /**
     * Returns the second round's product (once {@link #activate} has run).
     *
     * @param out receives {@code n × H} values
     * @return the output projection into out
     */
    abstract Product finish(float[] out);

    /**
     * Activates passes on all threads.
     *
     * @param rounds the passes
     */
    static void activateAll(List<FfnRounds> rounds) {
        long work = 0;
        for (FfnRounds r : rounds) {
            work += r.activationWork();
        }
        MatrixOps.forEachTask(rounds.size(), work, u -> rounds.get(u).activate());
    }

    /**
     * Applies what follows the output projection, once it has run; nothing by default.
     *
     * @param out the projection's {@code n × H} values, changed in place
     */
    void complete(float[] out) {}
}
