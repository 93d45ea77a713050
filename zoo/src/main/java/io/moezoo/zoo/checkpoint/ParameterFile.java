package io.moezoo.zoo.checkpoint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.moezoo.blocks.surgery.WeightAssignment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * Stores the parameters of a DJL block in a safetensors file keyed by DJL's parameter paths ({@code
 * block.getParameters()} names). This is how the zoo ships its own models: F16 on disk halves the
 * artifact, and loading widens back to float32.
 *
 * <p>Loading is strict: the file must hold exactly the block's parameters, each with the shape the
 * initialised block expects; otherwise nothing is changed and a {@link
 * MalformedCheckpointException} names the first offending key.
 */
public final class ParameterFile {

    private ParameterFile() {}

    /**
     * Writes every parameter of an initialised block.
     *
     * @param block the block
     * @param file the safetensors file to write (atomically)
     * @param dtype {@link TensorDType#F32} or {@link TensorDType#F16}
     * @throws IOException if writing fails
     */
    public static void save(Block block, Path file, TensorDType dtype) throws IOException {
        SafetensorsWriter writer = new SafetensorsWriter(dtype);
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (!p.getValue().isInitialized()) {
                throw new IllegalStateException(
                        "Parameter " + p.getKey() + " is not initialised; initialise the block");
            }
            writer.add(p.getKey(), p.getValue().getArray());
        }
        writer.write(file);
    }

    /**
     * Loads parameters into an initialised block.
     *
     * @param block the block, initialised so that every parameter has its shape
     * @param file the safetensors file
     * @throws IOException if the file cannot be read
     * @throws MalformedCheckpointException if a key is missing or extra, or a shape differs
     */
    public static void load(Block block, Path file)
            throws IOException, MalformedCheckpointException {
        Checkpoint checkpoint = Checkpoint.open(file);
        Set<String> expected = new HashSet<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            String key = p.getKey();
            expected.add(key);
            if (!p.getValue().isInitialized()) {
                throw new IllegalStateException(
                        "Parameter " + key + " is not initialised; initialise the block");
            }
            if (!checkpoint.contains(key)) {
                throw new MalformedCheckpointException(file + ": missing parameter '" + key + "'");
            }
            Shape want = p.getValue().getArray().getShape();
            Shape got = checkpoint.shape(key);
            if (!want.equals(got)) {
                throw new MalformedCheckpointException(
                        file + ": parameter '" + key + "' has shape " + got + ", expected " + want);
            }
        }
        Set<String> extra = new TreeSet<>(checkpoint.keys());
        extra.removeAll(expected);
        if (!extra.isEmpty()) {
            throw new MalformedCheckpointException(
                    file + ": unexpected parameters " + extra + " (a different model?)");
        }
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray target = p.getValue().getArray();
            try (NDManager scope = target.getManager().newSubManager()) {
                WeightAssignment.assign(p.getValue(), checkpoint.load(scope, p.getKey()));
            }
        }
    }
}
