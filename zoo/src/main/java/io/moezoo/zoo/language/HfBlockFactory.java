package io.moezoo.zoo.language;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import io.moezoo.zoo.checkpoint.MalformedCheckpointException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Lets DJL's {@code Criteria} load a Hugging Face MoE checkpoint directory: {@code
 * .optModelPath(dir).optArgument("blockFactory", HfBlockFactory.class.getName())
 * .optOption("hasParameter", "false")}. The block is a {@link MoeCausalLm} with the checkpoint's
 * weights, owned by the model's manager.
 */
public final class HfBlockFactory implements BlockFactory {

    private static final long serialVersionUID = 1L;

    /** {@inheritDoc} */
    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments)
            throws IOException {
        try {
            return HfCheckpointLoader.load(modelPath, model.getNDManager());
        } catch (MalformedCheckpointException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
