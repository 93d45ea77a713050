package io.moezoo.blocks.dispatch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.moezoo.blocks.experts.Experts;
import io.moezoo.blocks.routing.RoutingDecision;

/**
 * The dense-masked mixture: every expert runs on every token, and the outputs are mixed with the
 * routing weights scattered into a dense {@code [T, E]} matrix,
 *
 * <p>\(y_t = \sum_e w_{t,e}\, f_e(x_t)\), with \(w_{t,e} = 0\) for experts t did not choose.
 *
 * <p>E times the FLOPs of a dropless dispatch: the slow baseline of the benchmark and the oracle of
 * the dispatch tests.
 */
public final class DenseMaskedMixture {

    private DenseMaskedMixture() {}

    /**
     * Computes the mixture.
     *
     * @param ps the parameter store
     * @param x the tokens {@code [T, H]}
     * @param d the routing decision
     * @param experts the expert bank
     * @return {@code [T, H]}
     */
    public static NDArray forward(
            ParameterStore ps, NDArray x, RoutingDecision d, Experts experts) {
        int t = d.getNumTokens();
        int e = d.getNumExperts();
        int s = d.getNumSlots();
        long h = x.getShape().get(1);
        float[] w = d.getWeightsOnHost();
        float[] dense = new float[t * e];
        int[] chosen = d.getExperts();
        for (int i = 0; i < chosen.length; i++) {
            if (chosen[i] >= 0) {
                dense[(i / s) * e + chosen[i]] += w[i];
            }
        }
        NDArray all = experts.forwardPadded(ps, x.expandDims(0).repeat(0, e), false); // [E, T, H]
        NDArray mix = x.getManager().create(dense, new Shape(t, e)).transpose().expandDims(2);
        return all.mul(mix).sum(new int[] {0}).reshape(t, h);
    }
}
