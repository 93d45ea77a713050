package io.moezoo.blocks.routing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import io.moezoo.blocks.ParameterViews;
import io.moezoo.blocks.spec.NoisyTopKSpec;

/**
 * Noisy top-k gating (Shazeer et al. 2017, "Outrageously Large Neural Networks").
 *
 * <p>\(H(x) = xW_g + \epsilon \cdot (\mathrm{softplus}(xW_n) + 0.01)\) with \(\epsilon \sim
 * N(0,1)\) in training only; \(G(x) = \mathrm{softmax}(\mathrm{KeepTopK}(H(x), k))\). The scores
 * the losses see are the sparse gates G; in training the decision also carries the smooth load
 * estimate \(P(e \in \mathrm{topk}) = \Phi((xW_g - \text{threshold}) / \text{noise std})\), the
 * threshold being the k-th largest noisy logit of the other experts.
 */
public final class NoisyTopKRouter extends Router {

    private final NoisyTopKSpec kind;

    private static final float NOISE_EPSILON = 1e-2f;

    private final Parameter noiseWeight;

    /**
     * Creates the router.
     *
     * @param spec a the spec
     */
    public NoisyTopKRouter(NoisyTopKSpec spec) {
        super(spec);
        this.kind = spec;
        noiseWeight =
                addParameter(
                        Parameter.builder()
                                .setName("noise_weight")
                                .setType(Parameter.Type.WEIGHT)
                                .build());
    }

    /** {@inheritDoc} */
    @Override
    protected void prepareExtra(long hiddenSize) {
        noiseWeight.setShape(new Shape(kind.numExperts(), hiddenSize));
    }

    /** {@inheritDoc} */
    @Override
    protected RoutingDecision select(
            ParameterStore ps, NDArray input, NDArray logits, int groupSize, boolean training) {
        int k = kind.topK();
        int e = kind.numExperts();
        NDManager manager = logits.getManager();
        NDArray noisy = logits;
        NDArray noiseStd = null;
        if (training) {
            NDArray wn = ps.getValue(noiseWeight, input.getDevice(), training);
            noiseStd =
                    Activation.softPlus(Linear.linear(input, ParameterViews.as(wn, input)).head())
                            .add(NOISE_EPSILON);
            noisy = logits.add(manager.randomNormal(logits.getShape()).mul(noiseStd));
        }
        int kept = Math.min(k + 1, e);
        NDList top = noisy.topK(kept, -1, true, true);
        NDArray index = top.get(1).get(":, :" + k);
        NDArray weights = top.get(0).get(":, :" + k).softmax(-1);
        NDArray gates = manager.zeros(logits.getShape()).scatter(index, weights, 1);
        NDArray load = null;
        if (training) {
            if (k == e) {
                load = manager.ones(logits.getShape());
            } else {
                NDArray thresholdIfIn = top.get(0).get(":, " + k + ":" + (k + 1));
                NDArray thresholdIfOut = top.get(0).get(":, " + (k - 1) + ":" + k);
                NDArray isIn = noisy.gt(thresholdIfIn);
                NDArray probIfIn = NormalCdf.of(logits.sub(thresholdIfIn).div(noiseStd));
                NDArray probIfOut = NormalCdf.of(logits.sub(thresholdIfOut).div(noiseStd));
                load = NDArrays.where(isIn, probIfIn, probIfOut);
            }
        }
        weights = scaled(weights);
        int[] choices = toIntArray(index);
        return new RoutingDecision(
                logits, gates, weights, load, choices, choices.clone(), e, groupSize, -1);
    }
}
