package io.moezoo.blocks.surgery;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.moezoo.blocks.experts.LoraExperts;
import io.moezoo.blocks.experts.SwiGluExperts;
import io.moezoo.blocks.experts.SwiGluFeedForward;
import io.moezoo.blocks.layer.MoeLayer;
import io.moezoo.blocks.spec.LoraExpertSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.SwiGluExpertSpec;

/**
 * Sparse upcycling (Komatsuzaki et al.; "Llama 3 Meets MoE"): every expert of a new MoE layer
 * starts as a copy of a trained dense SwiGLU FFN. For a {@link io.moezoo.blocks.spec.LoraExpertSpec
 * LoRA} bank the dense FFN becomes the frozen base and the zero-initialised adapters make every
 * expert equal to it.
 *
 * <p>Since all experts compute the dense FFN, the layer output is \((\sum_s w_s) \cdot
 * \mathrm{FFN}(x)\): exactly the dense output for any router whose weights sum to one (renormalised
 * top-k, top-k-then-softmax).
 */
public final class SparseUpcycling {

    private SparseUpcycling() {}

    /**
     * Builds an upcycled MoE layer.
     *
     * @param dense a trained, initialised dense FFN (without output gate)
     * @param spec the MoE layer to build; SwiGLU or LoRA experts of the dense FFN's sizes
     * @param manager the manager of the new layer's parameters
     * @return the new, initialised layer
     */
    public static MoeLayer upcycle(SwiGluFeedForward dense, MoeLayerSpec spec, NDManager manager) {
        int h = dense.getHiddenSize();
        int i = dense.getIntermediateSize();
        boolean swiGlu = spec.experts() instanceof SwiGluExpertSpec;
        if (!swiGlu && !(spec.experts() instanceof LoraExpertSpec)) {
            throw new IllegalArgumentException(
                    "Sparse upcycling copies a SwiGLU FFN: experts must be swiglu or lora, got "
                            + spec.experts().toJson());
        }
        if (spec.hiddenSize() != h || spec.experts().intermediateSize() != i) {
            throw new IllegalArgumentException(
                    "Expert sizes H="
                            + spec.hiddenSize()
                            + ", I="
                            + spec.experts().intermediateSize()
                            + " do not match the dense FFN H="
                            + h
                            + ", I="
                            + i);
        }
        if (dense.getOutputGate() != null) {
            throw new IllegalArgumentException("Sparse upcycling takes an ungated dense FFN");
        }
        MoeLayer layer = new MoeLayer(spec);
        layer.initialize(manager, DataType.FLOAT32, new Shape(-1, h));
        try (NDManager scope = manager.newSubManager()) {
            // Borrow the dense weights into the scope so that every intermediate dies with it.
            NDArray gate = dense.getGateProj().getArray();
            NDArray up = dense.getUpProj().getArray();
            NDArray down = dense.getDownProj().getArray();
            gate.tempAttach(scope);
            up.tempAttach(scope);
            down.tempAttach(scope);
            if (swiGlu) {
                int e = spec.experts().numExperts();
                SwiGluExperts experts = (SwiGluExperts) layer.getExperts();
                NDArray gateUp = NDArrays.concat(new NDList(gate, up), 0).expandDims(0);
                WeightAssignment.assign(experts.getGateUpProj(), gateUp.repeat(0, e));
                WeightAssignment.assign(experts.getDownProj(), down.expandDims(0).repeat(0, e));
            } else {
                LoraExperts experts = (LoraExperts) layer.getExperts();
                WeightAssignment.assign(experts.getBase(0), gate);
                WeightAssignment.assign(experts.getBase(1), up);
                WeightAssignment.assign(experts.getBase(2), down);
            }
        }
        return layer;
    }
}
