package io.moezoo.blocks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.moezoo.blocks.dispatch.DenseMaskedMixture;
import io.moezoo.blocks.experts.Experts;
import io.moezoo.blocks.routing.RoutingDecision;
import java.util.Random;

/** Shared helpers of the moe-blocks tests: seeded data and the dense-masked oracle. */
public final class MoeTestSupport {

    private MoeTestSupport() {}

    /**
     * Creates seeded Gaussian data.
     *
     * @param manager the manager
     * @param seed the seed
     * @param shape the shape
     * @return the array
     */
    public static NDArray gaussian(NDManager manager, long seed, long... shape) {
        Random rng = new Random(seed);
        Shape s = new Shape(shape);
        float[] v = new float[Math.toIntExact(s.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return manager.create(v, s);
    }

    /**
     * Initialises a block for inputs of the given shape.
     *
     * @param block the block
     * @param manager the manager
     * @param shape the input shape
     * @param <B> the block type
     * @return the block
     */
    public static <B extends Block> B init(B block, NDManager manager, long... shape) {
        ai.djl.engine.Engine.getInstance().setRandomSeed(1234);
        block.initialize(manager, DataType.FLOAT32, new Shape(shape));
        return block;
    }

    /**
     * Returns a parameter store for inference-style calls.
     *
     * @param manager the manager
     * @return the store
     */
    public static ParameterStore store(NDManager manager) {
        return new ParameterStore(manager, false);
    }

    /**
     * The dense-masked oracle: run every expert on every token, then mix with the decision's
     * weights scattered into a dense {@code [T, E]} matrix on the host.
     *
     * @param ps the parameter store
     * @param x the tokens {@code [T, H]}
     * @param d the routing decision
     * @param experts the expert bank
     * @return {@code [T, H]}
     */
    public static NDArray denseMasked(
            ParameterStore ps, NDArray x, RoutingDecision d, Experts experts) {
        return DenseMaskedMixture.forward(ps, x, d, experts);
    }

    /**
     * Asserts two arrays are equal within a tolerance, absolute for |expected| <= 1 and relative
     * above.
     *
     * @param expected expected values
     * @param actual actual values
     * @param tolerance the tolerance
     */
    public static void assertClose(NDArray expected, NDArray actual, double tolerance) {
        assertEquals(expected.getShape(), actual.getShape(), "shape");
        float[] a = expected.toFloatArray();
        float[] b = actual.toFloatArray();
        double worst = 0;
        int at = -1;
        for (int i = 0; i < a.length; i++) {
            // Absolute below 1, relative above: float32 rounding grows with the magnitude.
            double diff = Math.abs(a[i] - b[i]) / Math.max(1.0, Math.abs(a[i]));
            if (!(diff <= worst)) {
                worst = diff;
                at = i;
            }
        }
        if (!(worst <= tolerance)) {
            throw new AssertionError(
                    "max |diff| / max(1, |expected|) "
                            + worst
                            + " at "
                            + at
                            + ": expected "
                            + a[at]
                            + ", got "
                            + b[at]);
        }
    }
}
