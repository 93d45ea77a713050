package io.moezoo.formats;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A Hugging Face checkpoint: {@code model.safetensors}, or shards listed by {@code
 * model.safetensors.index.json}, looked up by tensor key.
 *
 * <p>Every file is validated when the checkpoint opens, and every key of a shard index must exist
 * in the shard it names. {@link #load} returns float tensors as float32 (BF16, F16 and FP8 are
 * widened in Java: DJL's PyTorch engine aborts on BF16 arrays); an FP8 e4m3 weight {@code X} is
 * multiplied by its 128×128 block scales {@code X_scale_inv} (DeepSeek-V3). Block-quantised tensors
 * ({@link QuantizedSafetensors}: Q8_0, Q4_0) have their logical {@link #shape} and load dequantised
 * to float32 exactly as {@link BlockFormat#dequantize} computes. A weight {@code X} stored in MXFP4
 * as {@code X_blocks} + {@code X_scales} (gpt-oss, {@link Mxfp4Tensor}) is the tensor {@code X} for
 * {@link #contains}, {@link #shape}, {@link #load} and {@link TensorRows}; {@link #keys} lists the
 * two stored tensors.
 */
public final class Checkpoint {

    /** The single-file checkpoint name. */
    public static final String SINGLE_FILE = "model.safetensors";

    /** The sharded checkpoint index name. */
    public static final String INDEX_FILE = "model.safetensors.index.json";

    /** DeepSeek-V3's FP8 block size, used unless the config names another. */
    public static final int DEFAULT_FP8_BLOCK = 128;

    private final Path location;
    private final Map<String, TensorInfo> tensors;
    private final Map<Path, SafetensorsFile> files;
    private final int fp8BlockRows;
    private final int fp8BlockCols;

    private Checkpoint(
            Path location, Map<String, TensorInfo> tensors, Map<Path, SafetensorsFile> files) {
        this(location, tensors, files, DEFAULT_FP8_BLOCK, DEFAULT_FP8_BLOCK);
    }

    private Checkpoint(
            Path location,
            Map<String, TensorInfo> tensors,
            Map<Path, SafetensorsFile> files,
            int fp8BlockRows,
            int fp8BlockCols) {
        this.location = location;
        this.tensors = tensors;
        this.files = files;
        this.fp8BlockRows = fp8BlockRows;
        this.fp8BlockCols = fp8BlockCols;
    }

    /**
     * Returns this checkpoint with another FP8 block size ({@code quantization_config
     * .weight_block_size} of config.json): each {@code weight_scale_inv} entry scales a block of
     * rows x cols weights.
     *
     * @param rows block rows, &gt; 0
     * @param cols block columns, &gt; 0
     * @return a checkpoint over the same files
     */
    public Checkpoint withFp8BlockSize(int rows, int cols) {
        if (rows <= 0 || cols <= 0) {
            throw new IllegalArgumentException(
                    "FP8 block size must be positive, got [" + rows + ", " + cols + "]");
        }
        return new Checkpoint(location, tensors, files, rows, cols);
    }

    /**
     * Opens a checkpoint directory (sharded index first, else the single file) or one file.
     *
     * <p>The index must be a bounded strict-JSON object whose {@code weight_map} maps every tensor
     * key to a plain file name in the directory (no path separator, no {@code ..}, no absolute
     * path) of an existing regular file; every shard is validated like a single file.
     *
     * @param location a directory or a {@code .safetensors} file
     * @return the validated checkpoint
     * @throws IOException if a file cannot be read
     * @throws MalformedCheckpointException if a file or the index is malformed or inconsistent
     */
    public static Checkpoint open(Path location) throws IOException, MalformedCheckpointException {
        if (!Files.isDirectory(location)) {
            SafetensorsFile file = SafetensorsFile.open(location);
            return new Checkpoint(location, file.tensors(), Map.of(location, file));
        }
        Path index = location.resolve(INDEX_FILE);
        if (Files.exists(index, LinkOption.NOFOLLOW_LINKS)) {
            return openSharded(location, index);
        }
        Path single = location.resolve(SINGLE_FILE);
        if (Files.exists(single, LinkOption.NOFOLLOW_LINKS)) {
            SafetensorsFile file = SafetensorsFile.open(single);
            return new Checkpoint(location, file.tensors(), Map.of(single, file));
        }
        throw new MalformedCheckpointException(
                location + ": no " + SINGLE_FILE + " and no " + INDEX_FILE + " found");
    }

    private static Checkpoint openSharded(Path dir, Path index)
            throws IOException, MalformedCheckpointException {
        JsonElement root =
                StrictJson.parse(
                        CheckpointFiles.readUtf8(index, CheckpointFiles.MAX_INDEX_BYTES),
                        index.toString());
        if (!root.isJsonObject()
                || !root.getAsJsonObject().has("weight_map")
                || !root.getAsJsonObject().get("weight_map").isJsonObject()) {
            throw new MalformedCheckpointException(index + ": no \"weight_map\" object");
        }
        JsonObject weightMap = root.getAsJsonObject().getAsJsonObject("weight_map");
        if (weightMap.size() == 0) {
            throw new MalformedCheckpointException(index + ": \"weight_map\" lists no tensor");
        }
        Map<String, SafetensorsFile> files = new LinkedHashMap<>();
        Map<String, TensorInfo> tensors = new TreeMap<>();
        for (Map.Entry<String, JsonElement> entry : weightMap.entrySet()) {
            String key = StrictJson.name(entry.getKey());
            JsonElement value = entry.getValue();
            if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
                throw new MalformedCheckpointException(
                        index
                                + ": tensor "
                                + key
                                + " maps to "
                                + StrictJson.describe(value)
                                + ", not a shard file name");
            }
            String shardName = value.getAsString();
            SafetensorsFile file = files.get(shardName);
            if (file == null) {
                Path shard = shard(dir, index, key, shardName);
                file = SafetensorsFile.open(shard);
                files.put(shardName, file);
            }
            TensorInfo info = file.tensors().get(entry.getKey());
            if (info == null) {
                throw new MalformedCheckpointException(
                        file.path()
                                + ": tensor "
                                + key
                                + " listed in the index is missing from the shard");
            }
            tensors.put(entry.getKey(), info);
        }
        Map<Path, SafetensorsFile> byPath = new LinkedHashMap<>();
        for (SafetensorsFile file : files.values()) {
            byPath.put(file.path(), file);
        }
        return new Checkpoint(
                dir, Collections.unmodifiableMap(tensors), Collections.unmodifiableMap(byPath));
    }

    /** A shard must be a plain file name of a regular file inside the checkpoint directory. */
    private static Path shard(Path dir, Path index, String key, String shardName)
            throws IOException, MalformedCheckpointException {
        Path shard = CheckpointFiles.plainFileIn(dir, shardName);
        if (shard == null) {
            throw new MalformedCheckpointException(
                    index
                            + ": tensor "
                            + key
                            + " names shard "
                            + StrictJson.name(shardName)
                            + " outside the checkpoint directory (a shard must be a plain file"
                            + " name in it)");
        }
        if (!Files.exists(shard)) {
            throw new MalformedCheckpointException(
                    index
                            + ": shard "
                            + StrictJson.name(shardName)
                            + " of tensor "
                            + key
                            + " does not exist");
        }
        CheckpointFiles.requireRegularFile(shard, Long.MAX_VALUE);
        return shard;
    }

    /**
     * Returns where the checkpoint was opened from.
     *
     * @return the directory or file
     */
    public Path location() {
        return location;
    }

    /**
     * Returns all tensor keys.
     *
     * @return the keys
     */
    public Set<String> keys() {
        return tensors.keySet();
    }

    /**
     * Returns whether a tensor exists.
     *
     * @param key the tensor key
     * @return true if present
     */
    public boolean contains(String key) {
        return tensors.containsKey(key) || tensors.containsKey(key + Mxfp4Tensor.BLOCKS_SUFFIX);
    }

    /**
     * Returns the MXFP4 pair {@code X_blocks} + {@code X_scales} that stores the tensor {@code X},
     * validated.
     *
     * @param key the logical tensor key {@code X}
     * @return the pair, or null when {@code X} is stored itself or has no {@code X_blocks}
     * @throws MalformedCheckpointException if the pair is malformed (scales missing, a dtype other
     *     than U8, inconsistent shapes)
     */
    public Mxfp4Tensor mxfp4(String key) throws MalformedCheckpointException {
        return Mxfp4Tensor.find(location, tensors, key);
    }

    /**
     * Returns a tensor's header entry; for an MXFP4 tensor {@code X} (see {@link #mxfp4}) the entry
     * of its {@code X_blocks}.
     *
     * @param key the tensor key
     * @return the entry
     * @throws MalformedCheckpointException if the tensor is missing or a malformed MXFP4 pair
     */
    public TensorInfo info(String key) throws MalformedCheckpointException {
        TensorInfo info = tensors.get(key);
        Mxfp4Tensor pair = info == null ? mxfp4(key) : null;
        if (pair != null) {
            return pair.blocks();
        }
        if (info == null) {
            throw new MalformedCheckpointException(location + ": tensor '" + key + "' is missing");
        }
        return info;
    }

    /**
     * Returns a tensor's shape without reading it: the shape of its values, also for a
     * block-quantised tensor (whose stored U8 shape {@link #info} gives).
     *
     * @param key the tensor key
     * @return the logical shape
     * @throws MalformedCheckpointException if the tensor is missing
     */
    public Shape shape(String key) throws MalformedCheckpointException {
        Mxfp4Tensor pair = mxfp4(key);
        return pair != null ? pair.shape() : info(key).logicalShape();
    }

    /**
     * Returns the block format of a quantised tensor ({@link QuantizedSafetensors}).
     *
     * @param key the tensor key
     * @return the format, or null when the tensor is stored in a plain dtype
     * @throws MalformedCheckpointException if the tensor is missing
     */
    public BlockFormat blockFormat(String key) throws MalformedCheckpointException {
        return info(key).format();
    }

    /**
     * Maps part of a tensor's stored bytes (little-endian, read-only).
     *
     * @param info a tensor of this checkpoint
     * @param from the first byte, relative to the tensor's data
     * @param length the bytes, below 2 GiB
     * @return the bytes
     * @throws IOException if the file cannot be read
     * @throws MalformedCheckpointException if the file changed since it was opened
     */
    public ByteBuffer map(TensorInfo info, long from, long length)
            throws IOException, MalformedCheckpointException {
        SafetensorsFile file = files.get(info.file());
        if (file == null || file.tensors().get(info.name()) != info) {
            throw new IllegalArgumentException(
                    "tensor '" + info.name() + "' is not a tensor of " + location);
        }
        return file.map(info, from, length);
    }

    /**
     * Copies a tensor's stored bytes to a channel, mapping 64 MiB at a time.
     *
     * @param info a tensor of this checkpoint
     * @param out the channel
     * @throws IOException if reading or writing fails
     * @throws MalformedCheckpointException if the file changed since it was opened
     */
    public void copyBytes(TensorInfo info, WritableByteChannel out)
            throws IOException, MalformedCheckpointException {
        long chunk = 64L << 20;
        for (long at = 0; at < info.length(); at += chunk) {
            ByteBuffer bytes = map(info, at, Math.min(chunk, info.length() - at));
            try {
                SafetensorsWriter.writeFully(out, bytes.duplicate());
            } finally {
                Unmapping.release(bytes);
            }
        }
    }

    /**
     * Returns the FP8 block size in use (see {@link #withFp8BlockSize}).
     *
     * @return {rows, cols}
     */
    public int[] fp8BlockSize() {
        return new int[] {fp8BlockRows, fp8BlockCols};
    }

    /**
     * Says why {@link #load} of a weight would fail, without reading it: a missing tensor, a
     * non-float dtype, more elements than one array holds, or an FP8 weight that is not 2-D or
     * whose block scales are missing or of the wrong shape.
     *
     * @param key the tensor key
     * @return the problem, or null when the weight can be loaded
     */
    public String loadProblem(String key) {
        return problem(key, true);
    }

    /**
     * Says why a weight cannot be read in its stored format, mapped where it lies (an engine that
     * reads rows in place, in chunks): the problems of {@link #loadProblem} except the size limit
     * of one float32 array, which such a reader never allocates.
     *
     * @param key the tensor key
     * @return the problem, or null when the weight can be read in place
     */
    public String storedProblem(String key) {
        return problem(key, false);
    }

    private String problem(String key, boolean asFloat32) {
        TensorInfo info = tensors.get(key);
        String name = "tensor " + StrictJson.name(key);
        if (info == null && tensors.containsKey(key + Mxfp4Tensor.BLOCKS_SUFFIX)) {
            try {
                long values = mxfp4(key).shape().size();
                return asFloat32 && values * 4 > Integer.MAX_VALUE
                        ? "MXFP4 " + name + " is larger than 2 GiB as float32"
                        : null;
            } catch (MalformedCheckpointException e) {
                return e.getMessage();
            }
        }
        if (info == null) {
            return "missing " + name;
        }
        if (info.format() == null && !info.dtype().isFloat()) {
            return name + " has dtype " + info.dtype() + ", but a weight must be a float type";
        }
        Shape logical = info.logicalShape();
        if (asFloat32
                && (info.length() > Integer.MAX_VALUE || logical.size() * 4 > Integer.MAX_VALUE)) {
            return name + " of shape " + logical + " is larger than 2 GiB as float32";
        }
        if (info.format() != null || info.dtype() != TensorDType.F8_E4M3) {
            return null;
        }
        Shape shape = info.shape();
        if (shape.dimension() != 2) {
            return "FP8 " + name + " must be 2-D, has shape " + shape;
        }
        String scaleKey = key + "_scale_inv";
        TensorInfo scales = tensors.get(scaleKey);
        Shape expected =
                new Shape(
                        (shape.get(0) + fp8BlockRows - 1) / fp8BlockRows,
                        (shape.get(1) + fp8BlockCols - 1) / fp8BlockCols);
        if (scales == null) {
            return "FP8 " + name + " has no block scales " + StrictJson.name(scaleKey);
        }
        if (!scales.shape().equals(expected) || !scales.dtype().isFloat()) {
            return "block scales "
                    + StrictJson.name(scaleKey)
                    + " have shape "
                    + scales.shape()
                    + " of "
                    + scales.dtype()
                    + ", expected "
                    + expected
                    + " of a float type for weight "
                    + shape
                    + " in blocks of "
                    + fp8BlockRows
                    + "x"
                    + fp8BlockCols;
        }
        return null;
    }

    /**
     * Loads a tensor; float formats come back as float32, FP8 weights dequantised by their block
     * scales.
     *
     * @param manager the manager of the result
     * @param key the tensor key
     * @return a new array owned by the manager (never aliasing the file)
     * @throws IOException if the file cannot be read
     * @throws MalformedCheckpointException if the tensor is missing or its scales do not fit
     */
    public NDArray load(NDManager manager, String key)
            throws IOException, MalformedCheckpointException {
        Mxfp4Tensor pair = mxfp4(key);
        if (pair != null) {
            return loadMxfp4(manager, pair);
        }
        TensorInfo info = info(key);
        String problem = info.format() == null ? null : loadProblem(key);
        if (problem != null) {
            throw new MalformedCheckpointException(info.file() + ": " + problem);
        }
        ByteBuffer bytes = files.get(info.file()).map(info);
        int elements = Math.toIntExact(info.logicalShape().size());
        try {
            if (info.format() != null) {
                float[] values = new float[elements];
                info.format().dequantize(bytes, 0, values, 0, elements);
                return manager.create(values, info.logicalShape());
            }
            switch (info.dtype()) {
                case BF16:
                case F16:
                    return manager.create(
                            Widening.toFloat32(bytes, info.dtype(), elements),
                            info.shape(),
                            DataType.FLOAT32);
                case F8_E4M3:
                    return dequantize(
                            manager, key, info, Widening.toFloat32(bytes, info.dtype(), elements));
                default:
                    // The engine wraps direct buffers without copying: copy so the array never
                    // aliases the read-only mapping.
                    try (NDArray mapped =
                            manager.create(bytes, info.shape(), info.dtype().loadedAs())) {
                        return mapped.duplicate();
                    }
            }
        } finally {
            // Nothing refers to the mapping any more: release it now rather than at some GC, so
            // that loading a large checkpoint does not keep every file page resident.
            Unmapping.release(bytes);
        }
    }

    private NDArray loadMxfp4(NDManager manager, Mxfp4Tensor pair)
            throws IOException, MalformedCheckpointException {
        String problem = loadProblem(pair.key());
        if (problem != null) {
            throw new MalformedCheckpointException(pair.blocks().file() + ": " + problem);
        }
        int count = Math.toIntExact(pair.shape().size());
        float[] values = new float[count];
        ByteBuffer blocks = map(pair.blocks(), 0, pair.blocks().length());
        try {
            ByteBuffer scales = map(pair.scales(), 0, pair.scales().length());
            try {
                Mxfp4Tensor.dequantize(blocks, 0, scales, 0, values, 0, count);
            } finally {
                Unmapping.release(scales);
            }
        } finally {
            Unmapping.release(blocks);
        }
        return manager.create(values, pair.shape());
    }

    private NDArray dequantize(NDManager manager, String key, TensorInfo info, ByteBuffer weights)
            throws IOException, MalformedCheckpointException {
        String scaleKey = key + "_scale_inv";
        if (!contains(scaleKey)) {
            throw new MalformedCheckpointException(
                    info.file()
                            + ": FP8 tensor '"
                            + key
                            + "' has no block scales '"
                            + scaleKey
                            + "'");
        }
        Shape shape = info.shape();
        if (shape.dimension() != 2) {
            throw new MalformedCheckpointException(
                    info.file() + ": FP8 tensor '" + key + "' must be 2-D, has shape " + shape);
        }
        int rows = Math.toIntExact(shape.get(0));
        int cols = Math.toIntExact(shape.get(1));
        int blockRows = (rows + fp8BlockRows - 1) / fp8BlockRows;
        int blockCols = (cols + fp8BlockCols - 1) / fp8BlockCols;
        float[] scales;
        try (NDManager scope = manager.newSubManager()) {
            NDArray s = load(scope, scaleKey);
            if (!s.getShape().equals(new Shape(blockRows, blockCols))) {
                throw new MalformedCheckpointException(
                        info.file()
                                + ": block scales '"
                                + scaleKey
                                + "' have shape "
                                + s.getShape()
                                + ", expected ("
                                + blockRows
                                + ", "
                                + blockCols
                                + ") for weight "
                                + shape);
            }
            scales = s.toType(DataType.FLOAT32, false).toFloatArray();
        }
        ByteBuffer out = weights.order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int i = r * cols + c;
                out.putFloat(
                        4 * i,
                        out.getFloat(4 * i)
                                * scales[(r / fp8BlockRows) * blockCols + c / fp8BlockCols]);
            }
        }
        return manager.create(out, shape, DataType.FLOAT32);
    }
}
