package io.moezoo.blocks.surgery;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.moezoo.blocks.layer.MoeLayer;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.RouterSpec;
import java.util.List;
import java.util.function.Predicate;

/**
 * Expert upcycling ("Expert Upcycling: Shifting the Compute-Efficient Frontier of MoE"): an
 * E-expert layer becomes an m·E-expert layer by duplicating every expert (copies of expert e take
 * indices e·m … e·m+m-1) and its router row, with top-k unchanged, so the cost per token stays the
 * same.
 *
 * <p>With top-1 and renormalised weights the function is preserved exactly. With k &gt; 1 the
 * copies of one expert tie and a token may pick two copies of the same expert; continued training
 * breaks the symmetry (add noise to the copies if it should break at once).
 */
public final class ExpertUpcycling {

    private ExpertUpcycling() {}

    /**
     * Expands a layer.
     *
     * @param layer an initialised MoE layer without null experts
     * @param m the multiplication factor, &gt;= 2
     * @param manager the manager of the new layer's parameters
     * @return the new, initialised layer with m·E experts
     */
    public static MoeLayer expand(MoeLayer layer, int m, NDManager manager) {
        MoeLayerSpec spec = layer.getSpec();
        RouterSpec router = spec.router();
        if (m < 2) {
            throw new IllegalArgumentException("Expert upcycling factor must be >= 2, got " + m);
        }
        if (router.nullExperts() > 0) {
            throw new IllegalArgumentException("Expert upcycling does not support null experts");
        }
        MoeLayerSpec expanded =
                spec.withRouting(
                        router.resized(router.numExperts() * m, router.topK()),
                        spec.experts()
                                .reshaped(
                                        spec.experts().numExperts() * m,
                                        spec.experts().intermediateSize()));
        MoeLayer target = new MoeLayer(expanded);
        target.initialize(manager, DataType.FLOAT32, new Shape(-1, spec.hiddenSize()));
        try (NDManager scope = manager.newSubManager()) {
            copyInterleaved(layer.getRouter(), target.getRouter(), p -> true, m, scope);
            copyInterleaved(
                    layer.getExperts(),
                    target.getExperts(),
                    layer.getExperts()::isStackedPerExpert,
                    m,
                    scope);
        }
        if (layer.getSharedExpert() != null) {
            copyAll(layer.getSharedExpert(), target.getSharedExpert());
        }
        if (layer.getOutputBias() != null) {
            WeightAssignment.assign(target.getOutputBias(), layer.getOutputBias().getArray());
        }
        return target;
    }

    private static void copyInterleaved(
            Block from, Block to, Predicate<Parameter> perExpert, int m, NDManager scope) {
        List<Parameter> source = from.getDirectParameters().values();
        List<Parameter> target = to.getDirectParameters().values();
        for (int p = 0; p < source.size(); p++) {
            NDArray values = source.get(p).getArray();
            if (perExpert.test(source.get(p))) {
                // repeat along axis 0 interleaves: e0, e0, e1, e1, ... for m = 2.
                values = values.repeat(0, m);
                values.attach(scope);
            }
            WeightAssignment.assign(target.get(p), values);
        }
    }

    static void copyAll(Block from, Block to) {
        List<Parameter> source = from.getDirectParameters().values();
        List<Parameter> target = to.getDirectParameters().values();
        for (int p = 0; p < source.size(); p++) {
            WeightAssignment.assign(target.get(p), source.get(p).getArray());
        }
    }
}
