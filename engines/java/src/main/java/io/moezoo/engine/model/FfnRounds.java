package io.moezoo.engine.model;

import io.moezoo.engine.kernel.Product;
import java.util.ArrayList;
import java.util.List;

/**
 * One pending pass of a {@link TwoRoundFfn} over n rows: the input projections of the first round
 * (to be run by the caller, batched with other FFNs' products), then {@link #finish}, which
 * activates their outputs and returns the output projection of the second round, then {@link
 * #complete}, which applies what follows that projection (an output gate, a bias).
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
     * Activates the first round's outputs (once its products have run) and returns the second
     * round's product.
     *
     * @param out receives {@code n × H} values
     * @return the output projection into out
     */
    abstract Product finish(float[] out);

    /**
     * Applies what follows the output projection, once it has run; nothing by default.
     *
     * @param out the projection's {@code n × H} values, changed in place
     */
    void complete(float[] out) {}
}
