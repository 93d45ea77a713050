package io.moezoo.recipes.reward;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.moezoo.blocks.surgery.WeightAssignment;
import io.moezoo.models.reward.EncoderSpec;
import io.moezoo.models.reward.RewardModelSpec;
import java.util.List;

/** Small reward models with random weights for block-level tests. */
final class TinyModels {

    static final EncoderSpec ENCODER = new EncoderSpec(8, 2, 2, 16, 10000.0, 1e-5f);
    static final int PROMPT = 6;
    static final int RESPONSE = 10;

    private TinyModels() {}

    static RewardModelSpec dmoerm() {
        return new RewardModelSpec(
                RewardModelSpec.DMOERM,
                ENCODER,
                List.of("a", "b", "c"),
                List.of("x", "y"),
                2,
                4f,
                5,
                0,
                0f,
                PROMPT,
                RESPONSE);
    }

    static RewardModelSpec armorm() {
        return new RewardModelSpec(
                RewardModelSpec.ARMORM,
                ENCODER,
                List.of("a", "b", "c"),
                List.of(),
                0,
                0f,
                6,
                2,
                10f,
                PROMPT,
                RESPONSE);
    }

    static RewardModelSpec dense() {
        return new RewardModelSpec(
                RewardModelSpec.DENSE,
                ENCODER,
                List.of("overall"),
                List.of(),
                3,
                3f,
                7,
                0,
                0f,
                PROMPT,
                RESPONSE);
    }

    /** Creates, initialises and randomises every parameter (including zero-initialised LoRA B). */
    static <B extends Block> B build(NDManager manager, B block, long seed) {
        Shape s = new Shape(1, PROMPT + RESPONSE);
        block.initialize(manager, DataType.FLOAT32, s, s, s);
        manager.getEngine().setRandomSeed((int) seed);
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter param = p.getValue();
            if (p.getKey().contains("running_var")
                    || p.getKey().contains("logit_scale")
                    || p.getKey().contains("transform")) {
                continue;
            }
            Shape shape = param.getArray().getShape();
            WeightAssignment.assign(param, manager.randomNormal(0f, 0.3f, shape, DataType.FLOAT32));
        }
        return block;
    }
}
