package io.moezoo.blocks.surgery;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.moezoo.blocks.experts.SwiGluExperts;
import io.moezoo.blocks.layer.MoeLayer;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.RouterSpec;
import io.moezoo.blocks.spec.SoftmaxTopKSpec;
import io.moezoo.blocks.spec.SwiGluExpertSpec;
import io.moezoo.blocks.spec.TopKSoftmaxSpec;

/**
 * Fine-grained expert segmentation (DeepSeekMoE; "Innovator" FFN-dimension splitting): each SwiGLU
 * expert of width I becomes m experts of width I/m, the router row is copied to each piece and k
 * becomes m·k, so total and activated parameters stay the same.
 *
 * <p>A SwiGLU FFN is a sum over its intermediate units, so the m pieces of an expert add up to the
 * expert. Each piece receives 1/m of the expert's weight (the copied logits share the softmax), so
 * the pieces' down projections are multiplied by m. The split layer computes the same function as
 * the original whenever the original's k-th and (k+1)-th probabilities differ.
 */
public final class FineGrainedSplit {

    private FineGrainedSplit() {}

    /**
     * Splits a layer's experts.
     *
     * @param layer an initialised layer with SwiGLU experts and a SOFTMAX_TOP_K or TOP_K_SOFTMAX
     *     router without null experts
     * @param m the segmentation factor; divides I
     * @param manager the manager of the new layer's parameters
     * @return the new, initialised layer with m·E experts of width I/m and top-(m·k) routing
     */
    public static MoeLayer split(MoeLayer layer, int m, NDManager manager) {
        MoeLayerSpec spec = layer.getSpec();
        RouterSpec router = spec.router();
        if (!(spec.experts() instanceof SwiGluExpertSpec)) {
            throw new IllegalArgumentException(
                    "Fine-grained split needs swiglu experts, got " + spec.experts());
        }
        if (!(router instanceof SoftmaxTopKSpec || router instanceof TopKSoftmaxSpec)
                || router.nullExperts() > 0) {
            throw new IllegalArgumentException(
                    "Fine-grained split preserves the function only for softmax_top_k or"
                            + " top_k_softmax routers without null experts, got "
                            + router.toJson());
        }
        int e = router.numExperts();
        int h = spec.hiddenSize();
        int i = spec.experts().intermediateSize();
        MoeLayerSpec split =
                spec.withRouting(
                        router.resized(e * m, router.topK() * m), spec.experts().fineGrained(m));
        MoeLayer target = new MoeLayer(split);
        target.initialize(manager, DataType.FLOAT32, new Shape(-1, h));
        SwiGluExperts source = (SwiGluExperts) layer.getExperts();
        SwiGluExperts pieces = (SwiGluExperts) target.getExperts();
        try (NDManager scope = manager.newSubManager()) {
            // Borrow the source weights into the scope so that every intermediate dies with it.
            NDArray gateUp = source.getGateUpProj().getArray();
            NDArray sourceDown = source.getDownProj().getArray();
            NDArray routerWeight = layer.getRouter().getDirectParameters().get("weight").getArray();
            gateUp.tempAttach(scope);
            sourceDown.tempAttach(scope);
            routerWeight.tempAttach(scope);
            NDArray gate = gateUp.get(":, :" + i + ", :").reshape(e, m, i / m, h);
            NDArray up = gateUp.get(":, " + i + ":, :").reshape(e, m, i / m, h);
            NDArray pieceGateUp =
                    NDArrays.concat(new NDList(gate, up), 2).reshape(e * m, 2 * i / m, h);
            NDArray down =
                    sourceDown
                            .reshape(e, h, m, i / m)
                            .transpose(0, 2, 1, 3)
                            .reshape(e * m, h, i / m)
                            .mul(m);
            WeightAssignment.assign(pieces.getGateUpProj(), pieceGateUp);
            WeightAssignment.assign(pieces.getDownProj(), down);
            WeightAssignment.assign(
                    target.getRouter().getDirectParameters().get("weight"),
                    routerWeight.repeat(0, m));
        }
        if (layer.getSharedExpert() != null) {
            ExpertUpcycling.copyAll(layer.getSharedExpert(), target.getSharedExpert());
        }
        if (layer.getOutputBias() != null) {
            WeightAssignment.assign(target.getOutputBias(), layer.getOutputBias().getArray());
        }
        return target;
    }
}
