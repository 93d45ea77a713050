package io.moezoo.blocks.dispatch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.moezoo.blocks.experts.Experts;
import io.moezoo.blocks.spec.SwiGluExpertSpec;
import io.moezoo.blocks.surgery.WeightAssignment;

/**
 * Experts {@code E_e(x) = (e + 1)·x} (a stacked scale parameter) that count the rows they process.
 */
final class CountingExperts extends Experts {

    int rows;
    int calls;
    private final Parameter scale;

    private CountingExperts(int numExperts, int hidden) {
        super(new SwiGluExpertSpec(numExperts, hidden, 1));
        scale =
                addParameter(
                        Parameter.builder()
                                .setName("scale")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(numExperts, 1))
                                .build());
    }

    static CountingExperts create(NDManager manager, int numExperts, int hidden) {
        CountingExperts experts = new CountingExperts(numExperts, hidden);
        experts.initialize(manager, DataType.FLOAT32, new Shape(numExperts, -1, hidden));
        WeightAssignment.assign(
                experts.scale, manager.arange(1f, numExperts + 1f).reshape(numExperts, 1));
        return experts;
    }

    @Override
    protected NDArray forwardExpert(NDList weights, NDArray x) {
        rows += Math.toIntExact(x.getShape().get(0));
        calls++;
        return x.mul(weights.get(0));
    }

    @Override
    protected NDArray forwardAll(NDList weights, NDArray buffer) {
        return buffer.mul(weights.get(0).expandDims(2));
    }
}
