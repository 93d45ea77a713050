package io.moezoo.formats;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
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
import java.util.function.UnaryOperator;

/**
 * Stores the parameters of a DJL block in a safetensors file keyed by DJL's parameter paths ({@code
 * block.getParameters()} names). This is how the zoo ships its own models: F16 on disk halves the
 * artifact, and loading widens back to float32.
 *
 * <p>Loading is strict: the file must hold exactly the block's parameters, each with the shape the
 * initialised block expects; otherwise nothing is changed and a {@link
 * MalformedCheckpointException} names the first offending key.
 *
 * <p>A model whose block tree changed after its weights were published passes a key mapping (DJL
 * parameter path to file key) to saving and loading alike, so old and new files share one layout.
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
        save(block, file, dtype, UnaryOperator.identity());
    }

    /**
     * Writes every parameter of an initialised block under the keys a mapping gives.
     *
     * @param block the block
     * @param file the safetensors file to write (atomically)
     * @param dtype {@link TensorDType#F32} or {@link TensorDType#F16}
     * @param fileKeys maps a DJL parameter path to its key in the file (one-to-one)
     * @throws IOException if writing fails
     */
    public static void save(
            Block block, Path file, TensorDType dtype, UnaryOperator<String> fileKeys)
            throws IOException {
        SafetensorsWriter writer = new SafetensorsWriter(dtype);
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (!p.getValue().isInitialized()) {
                throw new IllegalStateException(
                        "Parameter " + p.getKey() + " is not initialised; initialise the block");
            }
            writer.add(fileKeys.apply(p.getKey()), p.getValue().getArray());
        }
        writer.write(file);
    }

    /**
     * Initialises a block within the size of a weight file and loads the file into it. The block's
     * parameters are zero-initialised by a {@link BoundedZeroInitializer} whose budget is the
     * number of values the file holds, so a model description that does not fit the file fails
     * before anything large is allocated.
     *
     * @param block the uninitialised block
     * @param file the safetensors file
     * @param manager the manager that will own the parameters
     * @param inputShapes the shapes to initialise the block with
     * @throws IOException if the file cannot be read
     * @throws MalformedCheckpointException if the model does not fit the file, or a key or shape
     *     differs
     */
    public static void initializeAndLoad(
            Block block, Path file, NDManager manager, Shape... inputShapes)
            throws IOException, MalformedCheckpointException {
        initializeAndLoad(block, file, manager, UnaryOperator.identity(), inputShapes);
    }

    /**
     * Initialises a block within the size of a weight file and loads the file into it, reading each
     * parameter under the key a mapping gives (see {@link #initializeAndLoad(Block, Path,
     * NDManager, Shape...)}).
     *
     * @param block the uninitialised block
     * @param file the safetensors file
     * @param manager the manager that will own the parameters
     * @param fileKeys maps a DJL parameter path to its key in the file (one-to-one)
     * @param inputShapes the shapes to initialise the block with
     * @throws IOException if the file cannot be read
     * @throws MalformedCheckpointException if the model does not fit the file, or a key or shape
     *     differs
     */
    public static void initializeAndLoad(
            Block block,
            Path file,
            NDManager manager,
            UnaryOperator<String> fileKeys,
            Shape... inputShapes)
            throws IOException, MalformedCheckpointException {
        Checkpoint checkpoint = Checkpoint.open(file);
        long budget = 0;
        for (String key : checkpoint.keys()) {
            budget = Math.addExact(budget, checkpoint.shape(key).size());
        }
        block.setInitializer(new BoundedZeroInitializer(budget, file.toString()), p -> true);
        try {
            block.initialize(manager, DataType.FLOAT32, inputShapes);
        } catch (IllegalArgumentException e) {
            throw new MalformedCheckpointException(e.getMessage(), e);
        }
        load(block, file, fileKeys);
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
        load(block, file, UnaryOperator.identity());
    }

    /**
     * Loads parameters into an initialised block, reading each under the key a mapping gives.
     *
     * @param block the block, initialised so that every parameter has its shape
     * @param file the safetensors file
     * @param fileKeys maps a DJL parameter path to its key in the file (one-to-one)
     * @throws IOException if the file cannot be read
     * @throws MalformedCheckpointException if a key is missing or extra, or a shape differs
     */
    public static void load(Block block, Path file, UnaryOperator<String> fileKeys)
            throws IOException, MalformedCheckpointException {
        Checkpoint checkpoint = Checkpoint.open(file);
        Set<String> expected = new HashSet<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            String key = fileKeys.apply(p.getKey());
            if (!expected.add(key)) {
                throw new IllegalArgumentException(
                        "The key mapping gives two parameters the file key '" + key + "'");
            }
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
                WeightAssignment.assign(
                        p.getValue(), checkpoint.load(scope, fileKeys.apply(p.getKey())));
            }
        }
    }
}
