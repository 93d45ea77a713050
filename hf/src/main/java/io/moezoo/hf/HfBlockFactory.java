package io.moezoo.hf;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import ai.djl.repository.zoo.Criteria;
import io.moezoo.formats.CheckpointFiles;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.models.language.MoeCausalLm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Lets DJL's {@code Criteria} load a Hugging Face MoE checkpoint directory. {@link #criteria} picks
 * the engine: MoE Zoo's own {@value #JAVA_ENGINE} engine when it is on the class path (weights
 * memory-mapped in their stored format), else the PyTorch reference path, where this factory builds
 * the block ({@code .optArgument("blockFactory", new HfBlockFactory()).optOption("hasParameter",
 * "false")}): a {@link MoeCausalLm} with the checkpoint's weights widened to float32, owned by the
 * model's manager. {@code -Dmoezoo.engine=PyTorch} selects the reference path everywhere.
 *
 * <p>Pass the factory as an object, as {@link #criteria} does: given a class name, DJL resolves it
 * through a class loader over the checkpoint directory, and a downloaded checkpoint should never
 * take part in choosing code. Likewise give the translator as an object ({@code optTranslator}).
 */
public final class HfBlockFactory implements BlockFactory {

    private static final long serialVersionUID = 1L;

    /**
     * The engine MoE Zoo runs checkpoints on when it is on the class path (moe-zoo-engine-java).
     */
    public static final String JAVA_ENGINE = "MoeJava";

    /** The reference engine: the DJL blocks on PyTorch, with every weight widened to float32. */
    public static final String REFERENCE_ENGINE = "PyTorch";

    /**
     * The system property that chooses the engine of {@link #criteria(Path, Class, Class)}: {@value
     * #JAVA_ENGINE} or {@value #REFERENCE_ENGINE}.
     */
    public static final String ENGINE_PROPERTY = "moezoo.engine";

    /**
     * Returns the engine checkpoints run on by default: the {@value #ENGINE_PROPERTY} system
     * property if set, else {@value #JAVA_ENGINE} when its jar is on the class path, else {@value
     * #REFERENCE_ENGINE}.
     *
     * @return the engine name
     */
    public static String defaultEngine() {
        String chosen = System.getProperty(ENGINE_PROPERTY);
        if (chosen != null && !chosen.isBlank()) {
            return chosen.trim();
        }
        return Engine.hasEngine(JAVA_ENGINE) ? JAVA_ENGINE : REFERENCE_ENGINE;
    }

    /**
     * A {@code Criteria} builder for a checkpoint directory on the {@link #defaultEngine()}; add a
     * translator (and any other option) and build.
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
        return criteria(dir, input, output, defaultEngine());
    }

    /**
     * A {@code Criteria} builder for a checkpoint directory on a chosen engine: {@value
     * #JAVA_ENGINE} (the weights mapped in their stored format, Java kernels) or {@value
     * #REFERENCE_ENGINE} (this factory's {@link MoeCausalLm}, the reference and training path).
     *
     * @param dir the checkpoint directory
     * @param input the predictor's input type
     * @param output the predictor's output type
     * @param engine the engine name
     * @param <I> the input type
     * @param <O> the output type
     * @return the builder
     * @throws IllegalArgumentException if the engine is neither, or not on the class path
     */
    public static <I, O> Criteria.Builder<I, O> criteria(
            Path dir, Class<I> input, Class<O> output, String engine) {
        if (!JAVA_ENGINE.equals(engine) && !REFERENCE_ENGINE.equals(engine)) {
            throw new IllegalArgumentException(
                    "Unknown engine '"
                            + engine
                            + "': checkpoints run on "
                            + JAVA_ENGINE
                            + " or "
                            + REFERENCE_ENGINE);
        }
        if (!Engine.hasEngine(engine)) {
            throw new IllegalArgumentException(
                    "The "
                            + engine
                            + " engine is not on the class path"
                            + (JAVA_ENGINE.equals(engine)
                                    ? " (add io.moezoo:moe-zoo-engine-java)"
                                    : ""));
        }
        Criteria.Builder<I, O> builder =
                Criteria.builder().setTypes(input, output).optModelPath(dir).optEngine(engine);
        if (REFERENCE_ENGINE.equals(engine)) {
            builder =
                    builder.optArgument("blockFactory", new HfBlockFactory())
                            .optOption("hasParameter", "false");
        }
        return builder;
    }

    /** {@inheritDoc} */
    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments)
            throws IOException {
        String engine = model.getNDManager().getEngine().getEngineName();
        if (!REFERENCE_ENGINE.equals(engine)) {
            throw new IOException(
                    "HfBlockFactory builds the "
                            + REFERENCE_ENGINE
                            + " reference model; the "
                            + engine
                            + " engine reads the checkpoint itself, so do not pass a block or a"
                            + " blockFactory");
        }
        try {
            CheckpointFiles.checkTokenizer(modelPath);
            return HfCheckpointLoader.load(modelPath, model.getNDManager());
        } catch (MalformedCheckpointException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
