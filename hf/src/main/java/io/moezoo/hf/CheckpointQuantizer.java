package io.moezoo.hf;

import ai.djl.ndarray.types.Shape;
import io.moezoo.formats.BlockFormat;
import io.moezoo.formats.Checkpoint;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.formats.QuantizedSafetensors;
import io.moezoo.formats.SafetensorsWriter;
import io.moezoo.formats.StrictJson;
import io.moezoo.formats.TensorDType;
import io.moezoo.formats.TensorInfo;
import io.moezoo.formats.TensorRows;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a block-quantised copy of a checkpoint ({@code moe-zoo quantize DIR --to q8_0|q4_0 OUT}):
 * the weights llama.cpp would quantise become Q8_0 or Q4_0 tensors in the layout of {@link
 * QuantizedSafetensors}, the rest is kept.
 *
 * <p>A tensor is quantised when it has at least two dimensions, its key ends with {@code .weight}
 * or names a fused expert tensor ({@code experts.gate_up_proj}, {@code experts.down_proj}), it is
 * not a norm nor a router ({@code mlp.gate.weight}, {@code block_sparse_moe.gate.weight}, {@code
 * router.layer.weight}, {@code shared_expert_gate.weight}), and its rows are a multiple of 32
 * values. Its values are read as float32 exactly as the reference path loads them (FP8 weights
 * multiplied by their block scales) and quantised with ggml's reference recipe ({@link
 * BlockFormat#quantize}). Every other tensor keeps its stored bytes, except that FP8 weights become
 * F32 and their {@code _scale_inv} tensors are dropped; an FP8 source's {@code quantization_config}
 * is removed from config.json.
 *
 * <p>The source is validated first ({@link HfCheckpointLoader#inspect}); tensors are streamed a
 * block of rows at a time, into shards of at most a given size, in a hidden sibling directory that
 * is renamed to OUT once complete. OUT must not exist or be an empty directory.
 */
public final class CheckpointQuantizer {

    /** Values read and quantised per step: 4 MB of float32 (at least one row). */
    private static final int STEP_VALUES = 1 << 20;

    /** The largest output shard by default: 4 GiB. */
    public static final long DEFAULT_SHARD_BYTES = 4L << 30;

    /** The files copied next to the weights when present. */
    static final List<String> COPIED_FILES =
            List.of(
                    "tokenizer.json",
                    "tokenizer_config.json",
                    "generation_config.json",
                    "special_tokens_map.json");

    /**
     * What a quantisation wrote.
     *
     * @param quantized tensors quantised
     * @param kept tensors kept in their stored dtype (or widened from FP8)
     * @param dropped FP8 block-scale tensors left out
     * @param shards safetensors files written
     * @param bytes bytes of the data sections
     */
    public record Summary(int quantized, int kept, int dropped, int shards, long bytes) {}

    private CheckpointQuantizer() {}

    /**
     * Quantises a checkpoint directory into 4 GiB shards.
     *
     * @param source a valid checkpoint directory
     * @param format the block format of the quantised weights
     * @param out the directory to create
     * @return what was written
     * @throws IOException if a file cannot be read or written, or OUT is not empty
     * @throws MalformedCheckpointException if the source is not a valid checkpoint
     */
    public static Summary quantize(Path source, BlockFormat format, Path out)
            throws IOException, MalformedCheckpointException {
        return quantize(source, format, out, DEFAULT_SHARD_BYTES);
    }

    /**
     * Quantises a checkpoint directory.
     *
     * @param source a valid checkpoint directory
     * @param format the block format of the quantised weights
     * @param out the directory to create
     * @param maxShardBytes the largest data section of one output file (a larger tensor gets a file
     *     of its own)
     * @return what was written
     * @throws IOException if a file cannot be read or written, or OUT is not empty
     * @throws MalformedCheckpointException if the source is not a valid checkpoint
     */
    public static Summary quantize(Path source, BlockFormat format, Path out, long maxShardBytes)
            throws IOException, MalformedCheckpointException {
        return quantize(source, format, out, maxShardBytes, STEP_VALUES);
    }

    /** As {@link #quantize(Path, BlockFormat, Path, long)}, reading about stepValues at a time. */
    static Summary quantize(
            Path source, BlockFormat format, Path out, long maxShardBytes, int stepValues)
            throws IOException, MalformedCheckpointException {
        if (maxShardBytes <= 0 || stepValues <= 0) {
            throw new IllegalArgumentException("maxShardBytes must be positive");
        }
        HfCheckpoint inspected = HfCheckpointLoader.inspect(source);
        refuseTransposedExperts(inspected);
        Path target = out.toAbsolutePath().normalize();
        if (Files.exists(target)) {
            boolean empty;
            try (var entries = Files.list(target)) {
                empty = Files.isDirectory(target) && entries.findAny().isEmpty();
            } catch (NotDirectoryException e) {
                empty = false;
            }
            if (!empty) {
                throw new IOException(out + " already exists and is not an empty directory");
            }
        }
        Path parent = target.getParent();
        Files.createDirectories(parent);
        // Permissions as for any new directory (rwxr-xr-x under a 022 umask), not
        // createTempDirectory's owner-only rwx------: the staging directory becomes OUT.
        Path staging =
                parent.getFileSystem().supportedFileAttributeViews().contains("posix")
                        ? Files.createTempDirectory(
                                parent,
                                "." + target.getFileName() + ".partial-",
                                PosixFilePermissions.asFileAttribute(
                                        PosixFilePermissions.fromString("rwxrwxrwx")))
                        : Files.createTempDirectory(
                                parent, "." + target.getFileName() + ".partial-");
        try {
            Summary summary =
                    write(inspected.checkpoint(), format, staging, maxShardBytes, stepValues);
            QuantizedCheckpointFiles.copy(source, staging, COPIED_FILES);
            // rename(2): also replaces an empty directory, and fails if OUT was filled meanwhile.
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            return summary;
        } catch (IOException | MalformedCheckpointException | RuntimeException e) {
            deleteTree(staging);
            throw e;
        }
    }

    /**
     * Whether a tensor is one llama.cpp would quantise (for a row length that is a multiple of 32).
     *
     * @param key the tensor key
     * @param shape its logical shape
     * @return true if it should be quantised
     */
    public static boolean quantizable(String key, Shape shape) {
        if (shape.dimension() < 2 || shape.get(shape.dimension() - 1) % BlockFormat.BLOCK != 0) {
            return false;
        }
        if (shape.get(shape.dimension() - 1) == 0) {
            return false;
        }
        boolean weight =
                key.endsWith(".weight")
                        || key.endsWith("experts.gate_up_proj")
                        || key.endsWith("experts.down_proj");
        String stem = key.endsWith(".weight") ? key.substring(0, key.length() - 7) : key;
        boolean norm = stem.substring(stem.lastIndexOf('.') + 1).contains("norm");
        boolean router =
                key.endsWith("mlp.gate.weight")
                        || key.endsWith("block_sparse_moe.gate.weight")
                        || key.endsWith("router.layer.weight")
                        || key.endsWith("mlp.router.weight")
                        || key.endsWith("shared_expert_gate.weight");
        return weight && !norm && !router;
    }

    /** One planned output tensor. */
    private record Planned(
            String key,
            TensorDType dtype,
            Shape shape,
            BlockFormat format,
            SafetensorsWriter.TensorBytes bytes) {
        long size() {
            return shape.size() * dtype.bytes();
        }
    }

    private static Summary write(
            Checkpoint checkpoint, BlockFormat format, Path dir, long maxShardBytes, int step)
            throws IOException, MalformedCheckpointException {
        List<Planned> planned = new ArrayList<>();
        int quantized = 0;
        int kept = 0;
        int dropped = 0;
        for (String key : checkpoint.keys()) {
            TensorInfo info = checkpoint.info(key);
            if (isFp8Scale(checkpoint, key)) {
                dropped++;
                continue;
            }
            Shape logical = info.logicalShape();
            boolean floats = info.format() != null || info.dtype().isFloat();
            if (floats && quantizable(key, logical)) {
                if (info.format() == format) {
                    planned.add(
                            new Planned(
                                    key,
                                    info.dtype(),
                                    info.shape(),
                                    format,
                                    copy(checkpoint, info)));
                } else {
                    checkLoadable(checkpoint, key);
                    long[] dims = logical.getShape().clone();
                    dims[dims.length - 1] = format.rowBytes(dims[dims.length - 1]);
                    planned.add(
                            new Planned(
                                    key,
                                    TensorDType.U8,
                                    new Shape(dims),
                                    format,
                                    quantized(checkpoint, key, format, step)));
                }
                quantized++;
            } else if (info.format() == null && info.dtype() == TensorDType.F8_E4M3) {
                checkLoadable(checkpoint, key);
                planned.add(
                        new Planned(
                                key,
                                TensorDType.F32,
                                logical,
                                null,
                                widened(checkpoint, key, step)));
                kept++;
            } else {
                planned.add(
                        new Planned(
                                key,
                                info.dtype(),
                                info.shape(),
                                info.format(),
                                copy(checkpoint, info)));
                kept++;
            }
        }
        List<List<Planned>> shards = new ArrayList<>();
        long current = 0;
        for (Planned p : planned) {
            if (shards.isEmpty() || (current > 0 && current + p.size() > maxShardBytes)) {
                shards.add(new ArrayList<>());
                current = 0;
            }
            shards.get(shards.size() - 1).add(p);
            current += p.size();
        }
        long bytes = 0;
        Map<String, String> weightMap = new LinkedHashMap<>();
        for (int s = 0; s < shards.size(); s++) {
            String name =
                    shards.size() == 1
                            ? Checkpoint.SINGLE_FILE
                            : String.format("model-%05d-of-%05d.safetensors", s + 1, shards.size());
            SafetensorsWriter writer = new SafetensorsWriter(TensorDType.F32);
            writer.metadata(
                    QuantizedSafetensors.QUANTIZATION_KEY,
                    QuantizedSafetensors.quantizationName(format));
            for (Planned p : shards.get(s)) {
                if (p.format() != null) {
                    writer.metadata(QuantizedSafetensors.formatKey(p.key()), p.format().name());
                }
                writer.addStreamed(p.key(), p.dtype(), p.shape(), p.bytes());
                weightMap.put(p.key(), name);
            }
            bytes += writer.dataBytes();
            writer.write(dir.resolve(name));
        }
        if (shards.size() > 1) {
            QuantizedCheckpointFiles.writeIndex(
                    dir.resolve(Checkpoint.INDEX_FILE), weightMap, bytes);
        }
        return new Summary(quantized, kept, dropped, shards.size(), bytes);
    }

    /**
     * gpt-oss experts stored dequantized ({@code experts.gate_up_proj [E, H, 2I]}, used as x·W) run
     * along the output axis; blocks of 32 must run along the input axis, so such a checkpoint is
     * refused rather than quantised wrongly.
     */
    private static void refuseTransposedExperts(HfCheckpoint inspected)
            throws MalformedCheckpointException {
        if (!GptOssModelType.NAME.equals(inspected.spec().modelType())) {
            return;
        }
        Checkpoint checkpoint = inspected.checkpoint();
        for (String key : checkpoint.keys()) {
            if (key.endsWith("experts.gate_up_proj") || key.endsWith("experts.down_proj")) {
                throw new MalformedCheckpointException(
                        checkpoint.location()
                                + ": "
                                + StrictJson.name(key)
                                + " holds gpt-oss experts dequantized as x·W ([E, in, out]), whose"
                                + " rows are not what block quantisation needs; quantize the"
                                + " MXFP4 checkpoint (experts as *_blocks + *_scales, as on the"
                                + " hub) instead: its experts stay MXFP4 and the rest is"
                                + " quantised");
            }
        }
    }

    private static boolean isFp8Scale(Checkpoint checkpoint, String key)
            throws MalformedCheckpointException {
        String suffix = "_scale_inv";
        if (!key.endsWith(suffix)) {
            return false;
        }
        String weight = key.substring(0, key.length() - suffix.length());
        return checkpoint.contains(weight)
                && checkpoint.info(weight).format() == null
                && checkpoint.info(weight).dtype() == TensorDType.F8_E4M3;
    }

    /** Rows per step: about 4 MB of float32, at least one row. */
    private static int stepRows(TensorRows rows, int stepValues) {
        return (int) Math.max(1, Math.min(rows.rows(), stepValues / Math.max(1, rows.cols())));
    }

    /**
     * Checks up front what reading the tensor would check (FP8 scales), so that a bad source fails
     * before any file is written; the tensor itself is opened only when it is written, so that the
     * FP8 scales of only one tensor are in memory at a time.
     */
    private static void checkLoadable(Checkpoint checkpoint, String key)
            throws MalformedCheckpointException {
        String problem = checkpoint.storedProblem(key);
        if (problem != null) {
            throw new MalformedCheckpointException(checkpoint.location() + ": " + problem);
        }
    }

    private static TensorRows open(Checkpoint checkpoint, String key) throws IOException {
        try {
            return TensorRows.open(checkpoint, key);
        } catch (MalformedCheckpointException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static SafetensorsWriter.TensorBytes quantized(
            Checkpoint checkpoint, String key, BlockFormat format, int stepValues) {
        return out -> {
            TensorRows rows = open(checkpoint, key);
            int step = stepRows(rows, stepValues);
            int cols = rows.cols();
            int rowBytes = (int) format.rowBytes(cols);
            float[] values = new float[step * cols];
            ByteBuffer block = ByteBuffer.allocate(step * rowBytes).order(ByteOrder.LITTLE_ENDIAN);
            for (long r = 0; r < rows.rows(); r += step) {
                int n = (int) Math.min(step, rows.rows() - r);
                read(rows, r, n, values);
                for (int i = 0; i < n * cols; i++) {
                    if (!Float.isFinite(values[i])) {
                        throw new IOException(
                                rows.info().file()
                                        + ": tensor '"
                                        + rows.info().name()
                                        + "' holds a non-finite value ("
                                        + values[i]
                                        + ") in row "
                                        + (r + i / cols)
                                        + ", which cannot be quantised");
                    }
                }
                block.clear();
                format.quantize(values, 0, n * cols, block, 0);
                block.limit(n * rowBytes);
                SafetensorsWriter.writeFully(out, block);
            }
        };
    }

    private static SafetensorsWriter.TensorBytes widened(
            Checkpoint checkpoint, String key, int stepValues) {
        return out -> {
            TensorRows rows = open(checkpoint, key);
            int step = stepRows(rows, stepValues);
            int cols = rows.cols();
            float[] values = new float[step * cols];
            ByteBuffer block = ByteBuffer.allocate(step * cols * 4).order(ByteOrder.LITTLE_ENDIAN);
            for (long r = 0; r < rows.rows(); r += step) {
                int n = (int) Math.min(step, rows.rows() - r);
                read(rows, r, n, values);
                block.clear();
                block.asFloatBuffer().put(values, 0, n * cols);
                block.limit(n * cols * 4);
                SafetensorsWriter.writeFully(out, block);
            }
        };
    }

    private static void read(TensorRows rows, long first, int count, float[] values)
            throws IOException {
        try {
            rows.read(first, count, values, 0);
        } catch (MalformedCheckpointException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static SafetensorsWriter.TensorBytes copy(Checkpoint checkpoint, TensorInfo info) {
        return out -> {
            try {
                checkpoint.copyBytes(info, out);
            } catch (MalformedCheckpointException e) {
                throw new IOException(e.getMessage(), e);
            }
        };
    }

    private static void deleteTree(Path dir) {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder())
                    .forEach(
                            p -> {
                                try {
                                    Files.deleteIfExists(p);
                                } catch (IOException e) {
                                    // Best effort: the staging directory is hidden.
                                }
                            });
        } catch (IOException e) {
            // Best effort.
        }
    }
}
