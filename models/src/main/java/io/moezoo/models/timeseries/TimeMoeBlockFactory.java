package io.moezoo.models.timeseries;

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
 * Lets DJL's {@code Criteria} load a {@link TimeMoeForecaster} artifact directory: {@code
 * model.json} (a {@link TimeMoeSpec}, validated) and {@code model.safetensors} (loaded with {@link
 * ParameterFile}, every key and shape checked). Use with {@code .optOption("hasParameter",
 * "false")}.
 */
public final class TimeMoeBlockFactory implements BlockFactory {

    private static final long serialVersionUID = 1L;
    private static final long MAX_SPEC_BYTES = 1 << 20;

    /** {@inheritDoc} */
    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments)
            throws IOException {
        TimeMoeSpec spec = readSpec(modelPath);
        Path weights = modelPath.resolve("model.safetensors");
        if (!Files.isRegularFile(weights)) {
            throw new IOException(weights + " is missing");
        }
        TimeMoeForecaster block = new TimeMoeForecaster(spec);
        NDManager owner = model.getNDManager().newSubManager();
        try {
            ParameterFile.initializeAndLoad(block, weights, owner, new Shape(1, 1));
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
     * Reads and validates an artifact's {@code model.json}.
     *
     * @param modelDir the artifact directory
     * @return the spec
     * @throws IOException if the file is missing, too large or not a valid spec
     */
    public static TimeMoeSpec readSpec(Path modelDir) throws IOException {
        Path file = modelDir.resolve("model.json");
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " is missing");
        }
        if (Files.size(file) > MAX_SPEC_BYTES) {
            throw new IOException(file + " is larger than " + MAX_SPEC_BYTES + " bytes");
        }
        try {
            return TimeMoeSpec.fromJson(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }
}
