package io.moezoo.models.language;

import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import io.moezoo.formats.CheckpointFiles;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.formats.ParameterFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Builds a zoo language model from its directory: {@code model.json} (a {@link DecoderSpec} in the
 * form of {@link DecoderSpec#toJson()}, read as a bounded UTF-8 file) and {@code model.safetensors}
 * (parameters keyed by DJL parameter paths, see {@link ParameterFile}); a {@code tokenizer.json}
 * beside them is checked before the translator reads it ({@link CheckpointFiles#checkTokenizer}).
 * Used with {@code .optOption("hasParameter", "false")}; the zoo's metadata sets both.
 */
public final class DecoderBlockFactory implements BlockFactory {

    private static final long serialVersionUID = 1L;

    /** The spec file name. */
    public static final String SPEC_FILE = "model.json";

    /** The parameter file name. */
    public static final String PARAMETER_FILE = "model.safetensors";

    /** {@inheritDoc} */
    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments)
            throws IOException {
        return load(modelPath, model.getNDManager());
    }

    /**
     * Loads a language model directory.
     *
     * @param dir the directory
     * @param manager the manager that will own the parameters
     * @return the model with its weights
     * @throws IOException if a file is missing or malformed (naming it)
     */
    public static MoeCausalLm load(Path dir, NDManager manager) throws IOException {
        Path specFile = dir.resolve(SPEC_FILE);
        if (!Files.isRegularFile(specFile)) {
            throw new IOException(specFile + " not found: not a zoo language model directory");
        }
        DecoderSpec spec;
        try {
            spec =
                    DecoderSpec.fromJson(
                            CheckpointFiles.readUtf8(specFile, CheckpointFiles.MAX_CONFIG_BYTES));
            CheckpointFiles.checkTokenizer(dir);
        } catch (MalformedCheckpointException e) {
            throw new IOException(e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IOException(specFile + ": " + e.getMessage(), e);
        }
        MoeCausalLm block = new MoeCausalLm(spec, List.of());
        NDManager owner = manager.newSubManager();
        try {
            ParameterFile.initializeAndLoad(
                    block, dir.resolve(PARAMETER_FILE), owner, new Shape(1, 1));
            return block;
        } catch (MalformedCheckpointException e) {
            owner.close();
            throw new IOException(e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            owner.close();
            throw e;
        }
    }
}
