package io.moezoo.models.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * The Bradley–Terry pairwise loss of reward models (DMoERM {@code loss_type='logsigmoid'}, ArmoRM
 * {@code BCEWithLogits(r_c - r_r, 1)}): \(\mathcal{L} = \mathrm{mean}_i\,[-\log\sigma(r_{c,i} -
 * r_{r,i})] = \mathrm{mean}_i\,\mathrm{softplus}(r_{r,i} - r_{c,i})\).
 */
public final class PairwiseLoss {

    private PairwiseLoss() {}

    /**
     * Computes the loss (differentiable, numerically stable).
     *
     * @param chosen rewards of the chosen responses {@code [N]}
     * @param rejected rewards of the rejected responses {@code [N]}
     * @return the mean loss, a scalar
     */
    public static NDArray of(NDArray chosen, NDArray rejected) {
        return Activation.softPlus(rejected.sub(chosen)).mean();
    }
}
