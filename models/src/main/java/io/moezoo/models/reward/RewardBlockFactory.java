package io.moezoo.models.reward;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.formats.ParameterFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Lets DJL's {@code Criteria} load a reward-model artifact directory: reads and validates {@code
 * model.json} ({@link RewardModelSpec}), builds the block its {@code architecture} names ({@link
 * DoubleLayerMoeRewardModel}, {@link ArmoRewardModel} or {@link DenseRewardModel}), initialises it
 * and loads {@code model.safetensors} strictly (every key present with the expected shape, no extra
 * keys). Use with {@code .optOption("hasParameter", "false")}.
 */
public final class RewardBlockFactory implements BlockFactory {

    private static final long serialVersionUID = 1L;

    /** {@inheritDoc} */
    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments)
            throws IOException {
        Path json = modelPath.resolve("model.json");
        Path weights = modelPath.resolve("model.safetensors");
        if (!Files.isRegularFile(json) || !Files.isRegularFile(weights)) {
            throw new IOException(modelPath + " lacks model.json or model.safetensors");
        }
        RewardModelSpec spec = RewardModelSpec.read(json);
        Block block = create(spec);
        Shape s = new Shape(1, spec.sequenceLength());
        NDManager owner = model.getNDManager().newSubManager();
        try {
            ParameterFile.initializeAndLoad(block, weights, owner, s, s, s);
        } catch (MalformedCheckpointException e) {
            owner.close();
            throw new IOException(e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            owner.close();
            throw e;
        }
        block.freezeParameters(true);
        return block;
    }

    /**
     * Creates the (uninitialised) block a spec describes.
     *
     * @param spec the spec
     * @return the block
     */
    public static Block create(RewardModelSpec spec) {
        switch (spec.architecture()) {
            case RewardModelSpec.DMOERM:
                return new DoubleLayerMoeRewardModel(spec);
            case RewardModelSpec.ARMORM:
                return new ArmoRewardModel(spec);
            case RewardModelSpec.DENSE:
                return new DenseRewardModel(spec);
            default:
                throw new IllegalArgumentException("Unknown architecture " + spec.architecture());
        }
    }
}
