package io.moezoo.models.reward;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.formats.ParameterFile;
import io.moezoo.models.language.DecoderSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Lets DJL's {@code Criteria} load a reward-model artifact directory: reads and validates {@code
 * model.json} ({@link RewardModelSpec}, or {@link LmRewardSpec} / {@link LmArmoRewardSpec} with its
 * {@code base.json}), builds the block its {@code architecture} names ({@link
 * DoubleLayerMoeRewardModel}, {@link ArmoRewardModel}, {@link DenseRewardModel}, {@link
 * LmDoubleLayerRewardModel} or {@link LmArmoRewardModel}), initialises it and loads {@code
 * model.safetensors} strictly (every key present with the expected shape, no extra keys). Use with
 * {@code .optOption("hasParameter", "false")}.
 */
public final class RewardBlockFactory implements BlockFactory {

    private static final long serialVersionUID = 1L;

    private static final List<String> ARCHITECTURES =
            List.of(
                    RewardModelSpec.DMOERM,
                    RewardModelSpec.ARMORM,
                    RewardModelSpec.DENSE,
                    LmRewardSpec.DMOERM_LM,
                    LmArmoRewardSpec.ARMORM_LM);

    /** {@inheritDoc} */
    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments)
            throws IOException {
        Path json = modelPath.resolve("model.json");
        Path weights = modelPath.resolve("model.safetensors");
        if (!Files.isRegularFile(json) || !Files.isRegularFile(weights)) {
            throw new IOException(modelPath + " lacks model.json or model.safetensors");
        }
        Block block;
        Shape s;
        String architecture = architecture(json);
        if (!ARCHITECTURES.contains(architecture)) {
            throw new IOException(
                    json
                            + ": unknown architecture '"
                            + architecture
                            + "'; known: "
                            + ARCHITECTURES);
        }
        if (LmRewardSpec.DMOERM_LM.equals(architecture)
                || LmArmoRewardSpec.ARMORM_LM.equals(architecture)) {
            DecoderSpec base = baseSpec(modelPath);
            if (LmRewardSpec.DMOERM_LM.equals(architecture)) {
                LmRewardSpec spec = LmRewardSpec.read(json);
                block =
                        withBase(
                                baseJson(modelPath),
                                () -> new LmDoubleLayerRewardModel(spec, base));
                s = new Shape(1, spec.sequenceLength());
            } else {
                LmArmoRewardSpec spec = LmArmoRewardSpec.read(json);
                block = withBase(baseJson(modelPath), () -> new LmArmoRewardModel(spec, base));
                s = new Shape(1, spec.sequenceLength());
            }
        } else {
            RewardModelSpec spec = RewardModelSpec.read(json);
            block = create(spec);
            s = new Shape(1, spec.sequenceLength());
        }
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

    private static Path baseJson(Path modelPath) {
        return modelPath.resolve(LmRewardSpec.BASE_FILE);
    }

    /** The spec of the frozen language model in {@code base.json} beside model.json. */
    private static DecoderSpec baseSpec(Path modelPath) throws IOException {
        Path baseJson = baseJson(modelPath);
        if (!Files.isRegularFile(baseJson)) {
            throw new IOException(modelPath + " lacks " + LmRewardSpec.BASE_FILE);
        }
        try {
            return DecoderSpec.fromJson(Files.readString(baseJson, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IOException(baseJson + ": " + e.getMessage(), e);
        }
    }

    /** Builds a block over a base model, naming base.json if the two do not fit together. */
    private static Block withBase(Path baseJson, java.util.function.Supplier<Block> block)
            throws IOException {
        try {
            return block.get();
        } catch (IllegalArgumentException e) {
            throw new IOException(baseJson + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the {@code architecture} field of a reward model's {@code model.json}.
     *
     * @param json the file
     * @return the architecture, or null if there is none
     * @throws IOException if the file cannot be read or is not JSON
     */
    public static String architecture(Path json) throws IOException {
        try {
            JsonElement tree =
                    JsonParser.parseString(Files.readString(json, StandardCharsets.UTF_8));
            if (tree != null && tree.isJsonObject()) {
                JsonElement a = tree.getAsJsonObject().get("architecture");
                if (a != null && a.isJsonPrimitive()) {
                    return a.getAsString();
                }
            }
            return null;
        } catch (JsonParseException e) {
            throw new IOException(json + ": invalid JSON: " + e.getMessage(), e);
        }
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
