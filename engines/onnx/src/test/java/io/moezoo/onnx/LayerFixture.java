package io.moezoo.onnx;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.moezoo.blocks.surgery.WeightAssignment;
import java.util.Random;

/** Random weights and reference forwards on the PyTorch engine (test helper). */
public final class LayerFixture {

    private LayerFixture() {}

    /**
     * Returns seeded Gaussian values.
     *
     * @param seed the seed
     * @param scale the standard deviation
     * @param count how many
     * @return the values
     */
    public static float[] gaussian(long seed, float scale, int count) {
        Random rng = new Random(seed);
        float[] v = new float[count];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (rng.nextGaussian() * scale);
        }
        return v;
    }

    /**
     * Initializes a block and overwrites every parameter with seeded Gaussian values.
     *
     * @param block the block
     * @param manager a PyTorch manager
     * @param seed the seed
     * @param scale the standard deviation
     * @param inputShape the input shape for initialization
     * @param <B> the block type
     * @return the block
     */
    public static <B extends Block> B randomize(
            B block, NDManager manager, long seed, float scale, Shape inputShape) {
        block.initialize(manager, DataType.FLOAT32, inputShape);
        long s = seed;
        for (Pair<String, Parameter> p : block.getParameters()) {
            Shape shape = p.getValue().getArray().getShape();
            float[] v = gaussian(s++, scale, Math.toIntExact(shape.size()));
            WeightAssignment.assign(p.getValue(), manager.create(v, shape));
        }
        return block;
    }

    /**
     * Runs the block's own forward (inference) on the PyTorch engine.
     *
     * @param block the block
     * @param manager a PyTorch manager
     * @param x the input values
     * @param shape the input shape
     * @return the first output as floats
     */
    public static float[] forward(Block block, NDManager manager, float[] x, Shape shape) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray input = scope.create(x, shape);
            NDList out = block.forward(new ParameterStore(scope, false), new NDList(input), false);
            return out.head().toType(DataType.FLOAT32, false).toFloatArray();
        }
    }
}
