package io.moezoo.zoo.language;

import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import ai.djl.repository.zoo.Criteria;
import io.moezoo.zoo.checkpoint.CheckpointFiles;
import io.moezoo.zoo.checkpoint.MalformedCheckpointException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * Lets DJL's {@code Criteria} load a Hugging Face MoE checkpoint directory: {@code
 * .optModelPath(dir).optArgument("blockFactory", new HfBlockFactory()) .optOption("hasParameter",
 * "false")}, or {@link #criteria} for short. The block is a {@link MoeCausalLm} with the
 * checkpoint's weights, owned by the model's manager.
 *
 * <p>Pass the factory as an object, as {@link #criteria} does: given a class name, DJL resolves it
 * through a class loader over the checkpoint directory, and a downloaded checkpoint should never
 * take part in choosing code. Likewise give the translator as an object ({@code optTranslator}).
 */
public final class HfBlockFactory implements BlockFactory {

    private static final long serialVersionUID = 1L;

    /** The tokenizer file of a checkpoint or zoo model directory. */
    public static final String TOKENIZER_FILE = "tokenizer.json";

    /**
     * A {@code Criteria} builder for a checkpoint directory on the PyTorch engine with this
     * factory; add a translator (and any other option) and build.
     *
     * @param dir the checkpoint directory (config.json and safetensors)
     * @param input the predictor's input type
     * @param output the predictor's output type
     * @param <I> the input type
     * @param <O> the output type
     * @return the builder
     */
    public static <I, O> Criteria.Builder<I, O> criteria(
            Path dir, Class<I> input, Class<O> output) {
        return Criteria.builder()
                .setTypes(input, output)
                .optModelPath(dir)
                .optEngine("PyTorch")
                .optArgument("blockFactory", new HfBlockFactory())
                .optOption("hasParameter", "false");
    }

    /** {@inheritDoc} */
    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments)
            throws IOException {
        try {
            checkTokenizer(modelPath);
            return HfCheckpointLoader.load(modelPath, model.getNDManager());
        } catch (MalformedCheckpointException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /**
     * Checks the {@code tokenizer.json} of a model directory, if there is one, before a native
     * tokenizer reads it: a regular file of at most {@link CheckpointFiles#MAX_TOKENIZER_BYTES} in
     * strict UTF-8. DJL builds the block before the translator, so a model loaded through a {@code
     * Criteria} has its tokenizer checked first.
     *
     * @param dir the model directory
     * @throws IOException if the file cannot be read
     * @throws MalformedCheckpointException if the file is not a bounded regular UTF-8 file
     */
    public static void checkTokenizer(Path dir) throws IOException, MalformedCheckpointException {
        Path tokenizer = dir.resolve(TOKENIZER_FILE);
        if (Files.exists(tokenizer, LinkOption.NOFOLLOW_LINKS)) {
            CheckpointFiles.checkUtf8(tokenizer, CheckpointFiles.MAX_TOKENIZER_BYTES);
        }
    }
}
