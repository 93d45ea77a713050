package io.moezoo.models.vision;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.formats.ParameterFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Lets DJL's {@code Criteria} load a vision artifact directory: {@code
 * .optModelPath(dir).optArgument("blockFactory", VisionMoeBlockFactory.class.getName())
 * .optOption("hasParameter", "false")}. It reads {@code model.json} ({@link VisionMoeSpec}), builds
 * a {@link VisionMoeTransformer} and loads {@code model.safetensors} into it; the file must hold
 * exactly the model's parameters with the model's shapes, under the keys {@link
 * VisionParameterNames} gives.
 */
public final class VisionMoeBlockFactory implements BlockFactory {

    private static final long serialVersionUID = 1L;

    /** The largest {@code model.json} accepted, in bytes. */
    private static final long MAX_SPEC_BYTES = 1 << 20;

    /** {@inheritDoc} */
    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments)
            throws IOException {
        return load(modelPath, model.getNDManager());
    }

    /**
     * Builds the model of an artifact directory and loads its weights.
     *
     * @param dir the directory holding {@code model.json} and {@code model.safetensors}
     * @param manager the manager that owns the weights
     * @return the loaded model
     * @throws IOException if a file is missing, too large or malformed (the message names the file
     *     and the problem)
     */
    public static VisionMoeTransformer load(Path dir, NDManager manager) throws IOException {
        VisionMoeSpec spec = readSpec(dir.resolve("model.json"));
        Path weights = dir.resolve("model.safetensors");
        if (!Files.isRegularFile(weights)) {
            throw new IOException(weights + " not found");
        }
        VisionMoeTransformer block = new VisionMoeTransformer(spec);
        NDManager owner = manager.newSubManager();
        try {
            ParameterFile.initializeAndLoad(
                    block,
                    weights,
                    owner,
                    VisionParameterNames::fileKey,
                    new Shape(1, spec.channels(), spec.imageSize(), spec.imageSize()));
            return block;
        } catch (MalformedCheckpointException e) {
            owner.close();
            throw new IOException(e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            owner.close();
            throw e;
        }
    }

    /**
     * Reads and validates a {@code model.json}.
     *
     * @param file the file
     * @return the spec
     * @throws IOException if the file is missing, larger than 1 MiB, or not a valid spec
     */
    public static VisionMoeSpec readSpec(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " not found");
        }
        if (Files.size(file) > MAX_SPEC_BYTES) {
            throw new IOException(file + " is larger than " + MAX_SPEC_BYTES + " bytes");
        }
        try {
            return VisionMoeSpec.fromJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }
}
