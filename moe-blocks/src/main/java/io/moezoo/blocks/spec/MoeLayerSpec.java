package io.moezoo.blocks.spec;

/**
 * Describes one MoE FFN layer: its router, its routed experts, an optional shared expert and the
 * dispatch algorithm.
 *
 * @param router the router
 * @param experts the routed experts
 * @param sharedExpert the shared expert, or null
 * @param dispatch the dispatch algorithm
 * @param outputBias whether a bias {@code [H]} is added after the combine (JetMoE)
 */
public record MoeLayerSpec(
        RouterSpec router,
        ExpertSpec experts,
        SharedExpertSpec sharedExpert,
        DispatchMode dispatch,
        boolean outputBias) {

    /**
     * Validates that router and experts agree.
     *
     * @param router the router
     * @param experts the routed experts
     * @param sharedExpert the shared expert, or null
     * @param dispatch the dispatch algorithm
     * @param outputBias whether a bias is added after the combine
     */
    public MoeLayerSpec {
        if (router == null || experts == null || dispatch == null) {
            throw new IllegalArgumentException(
                    "Invalid MoE layer spec: router, experts and dispatch are required");
        }
        if (router.getNumExperts() != experts.getNumExperts()) {
            throw new IllegalArgumentException(
                    "Invalid MoE layer spec: router has "
                            + router.getNumExperts()
                            + " experts but the expert bank has "
                            + experts.getNumExperts());
        }
    }

    /**
     * A dropless layer with sorted dispatch and no shared expert.
     *
     * @param router the router
     * @param experts the routed experts
     * @return the spec
     */
    public static MoeLayerSpec of(RouterSpec router, ExpertSpec experts) {
        return new MoeLayerSpec(router, experts, null, DispatchMode.SORTED, false);
    }

    /**
     * Returns a copy with a shared expert.
     *
     * @param shared the shared expert
     * @return the new spec
     */
    public MoeLayerSpec withSharedExpert(SharedExpertSpec shared) {
        return new MoeLayerSpec(router, experts, shared, dispatch, outputBias);
    }

    /**
     * Returns a copy with another dispatch algorithm.
     *
     * @param mode the dispatch algorithm
     * @return the new spec
     */
    public MoeLayerSpec withDispatch(DispatchMode mode) {
        return new MoeLayerSpec(router, experts, sharedExpert, mode, outputBias);
    }

    /**
     * Returns a copy with another router and expert bank (which must agree on E).
     *
     * @param newRouter the router
     * @param newExperts the experts
     * @return the new spec
     */
    public MoeLayerSpec withRouting(RouterSpec newRouter, ExpertSpec newExperts) {
        return new MoeLayerSpec(newRouter, newExperts, sharedExpert, dispatch, outputBias);
    }

    /**
     * Returns a copy with (or without) a bias added after the combine.
     *
     * @param bias true for an output bias
     * @return the new spec
     */
    public MoeLayerSpec withOutputBias(boolean bias) {
        return new MoeLayerSpec(router, experts, sharedExpert, dispatch, bias);
    }

    /**
     * Returns the hidden size H.
     *
     * @return H
     */
    public int hiddenSize() {
        return experts.getHiddenSize();
    }
}
