package io.moezoo.engine.tensor;

import ai.djl.ndarray.types.Shape;
import io.moezoo.formats.BlockFormat;
import io.moezoo.formats.Checkpoint;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.formats.Mxfp4Tensor;
import io.moezoo.formats.TensorDType;
import io.moezoo.formats.TensorInfo;
import io.moezoo.hf.HfCheckpoint;
import io.moezoo.hf.HfCheckpointLoader;
import io.moezoo.hf.HfConfigMapper;
import io.moezoo.models.language.DecoderSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * A Hugging Face checkpoint directory ({@code config.json} and safetensors, single or sharded) as a
 * {@link TensorSource}: validated as a whole by {@link HfCheckpointLoader#inspect} (config,
 * headers, index, every tensor's shape and dtype) before anything is mapped; each weight is then
 * mapped read-only where it lies in its file, in chunks of at most {@value #CHUNK_BYTES} bytes. A
 * weight {@code X} stored in MXFP4 as {@code X_blocks} + {@code X_scales} (gpt-oss) is a {@link
 * WeightFormat#MXFP4} matrix over both tensors' mapped bytes.
 */
public final class SafetensorsSource implements TensorSource {

    /** The largest mapping of one chunk of rows. */
    static final int CHUNK_BYTES = 1 << 30;

    /**
     * {@code -Dmoezoo.engine.prefault=true}: read every weight page into memory while loading (as
     * llama.cpp's loader does), so that decoding never waits for the disk; off by default, when
     * pages are read as the tokens first need them.
     */
    static final boolean PREFAULT = Boolean.getBoolean("moezoo.engine.prefault");

    private final DecoderSpec spec;
    private final Checkpoint checkpoint;
    private final int[] fp8Block;
    private final Map<Path, FileChannel> channels = new HashMap<>();
    private final long fileBytes;

    private SafetensorsSource(HfCheckpoint inspected, int[] fp8Block) {
        this.spec = inspected.spec();
        this.checkpoint = inspected.checkpoint();
        this.fp8Block = fp8Block;
        long bytes = 0;
        for (String key : checkpoint.keys()) {
            try {
                bytes += checkpoint.info(key).length();
            } catch (MalformedCheckpointException e) {
                throw new IllegalStateException(e);
            }
        }
        fileBytes = bytes;
    }

    /**
     * Validates and opens a checkpoint directory.
     *
     * @param dir the directory
     * @return the source
     * @throws IOException if a file cannot be read
     * @throws MalformedCheckpointException if the checkpoint is invalid
     */
    public static SafetensorsSource open(Path dir)
            throws IOException, MalformedCheckpointException {
        HfCheckpoint inspected = HfCheckpointLoader.inspectStored(dir);
        int[] block = HfConfigMapper.fp8BlockSize(dir.resolve(HfCheckpointLoader.CONFIG_FILE));
        return new SafetensorsSource(inspected, block);
    }

    @Override
    public DecoderSpec spec() {
        return spec;
    }

    @Override
    public boolean contains(String key) {
        return checkpoint.contains(key);
    }

    @Override
    public long fileBytes() {
        return fileBytes;
    }

    private TensorInfo checked(String key, long... shape) throws MalformedCheckpointException {
        TensorInfo info = checkpoint.info(key);
        Shape actual = checkpoint.shape(key);
        if (!actual.equals(new Shape(shape))) {
            throw new MalformedCheckpointException(
                    info.file()
                            + ": tensor '"
                            + key
                            + "' has shape "
                            + actual
                            + ", expected "
                            + new Shape(shape));
        }
        return info;
    }

    @Override
    public WeightMatrix matrix(String key, long... shape)
            throws MalformedCheckpointException, IOException {
        if (shape.length < 2) {
            throw new IllegalArgumentException("A matrix has two or more dimensions: " + key);
        }
        TensorInfo info = checked(key, shape);
        long rowsLong = 1;
        for (int i = 0; i < shape.length - 1; i++) {
            rowsLong *= shape[i];
        }
        int cols = Math.toIntExact(shape[shape.length - 1]);
        int rows = Math.toIntExact(rowsLong);
        Mxfp4Tensor pair = checkpoint.mxfp4(key);
        WeightFormat format = pair != null ? WeightFormat.MXFP4 : format(info);
        long rowBytes = format.rowBytes(cols);
        int rowsPerChunk = (int) Math.max(1, Math.min(rows, CHUNK_BYTES / rowBytes));
        ByteBuffer[] chunks = map(info, rowBytes, rows, rowsPerChunk);
        if (pair != null) {
            ByteBuffer[] scales = map(pair.scales(), cols / 32, rows, rowsPerChunk);
            return WeightMatrix.mxfp4(rows, cols, chunks, scales, rowsPerChunk);
        }
        if (format == WeightFormat.F8_E4M3) {
            String scaleKey = key + "_scale_inv";
            int blockRows = fp8Block == null ? Checkpoint.DEFAULT_FP8_BLOCK : fp8Block[0];
            int blockCols = fp8Block == null ? Checkpoint.DEFAULT_FP8_BLOCK : fp8Block[1];
            if (shape.length != 2) {
                throw new MalformedCheckpointException(
                        info.file() + ": FP8 tensor '" + key + "' must be 2-D");
            }
            float[] scales =
                    floats(
                            scaleKey,
                            (rows + blockRows - 1) / blockRows,
                            (cols + blockCols - 1) / blockCols);
            return WeightMatrix.fp8(rows, cols, chunks, rowsPerChunk, scales, blockRows, blockCols);
        }
        return WeightMatrix.of(format, rows, cols, chunks, rowsPerChunk);
    }

    /** Maps a tensor's rows in chunks of {@code rowsPerChunk} rows. */
    private ByteBuffer[] map(TensorInfo info, long rowBytes, int rows, int rowsPerChunk)
            throws IOException {
        ByteBuffer[] chunks = new ByteBuffer[(rows + rowsPerChunk - 1) / rowsPerChunk];
        FileChannel channel = channel(info.file());
        for (int c = 0; c < chunks.length; c++) {
            long first = (long) c * rowsPerChunk;
            long count = Math.min(rowsPerChunk, rows - first);
            MappedByteBuffer chunk =
                    channel.map(
                            FileChannel.MapMode.READ_ONLY,
                            info.begin() + first * rowBytes,
                            count * rowBytes);
            if (PREFAULT) {
                chunk.load();
            }
            chunks[c] = chunk;
        }
        return chunks;
    }

    @Override
    public float[] floats(String key, long... shape)
            throws MalformedCheckpointException, IOException {
        TensorInfo info = checked(key, shape);
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        WeightFormat format = checkpoint.mxfp4(key) != null ? WeightFormat.MXFP4 : format(info);
        if (format == WeightFormat.F8_E4M3 || format == WeightFormat.MXFP4) {
            throw new MalformedCheckpointException(
                    info.file()
                            + ": tensor '"
                            + key
                            + "' is "
                            + format
                            + ", expected a float vector");
        }
        ByteBuffer bytes =
                channel(info.file())
                        .map(FileChannel.MapMode.READ_ONLY, info.begin(), info.length());
        WeightMatrix all = WeightMatrix.of(format, 1, Math.toIntExact(count), bytes);
        return all.toFloats();
    }

    private WeightFormat format(TensorInfo info) throws MalformedCheckpointException {
        BlockFormat block = checkpoint.blockFormat(info.name());
        if (block != null) {
            return WeightFormat.valueOf(block.name());
        }
        TensorDType dtype = info.dtype();
        switch (dtype) {
            case F32:
                return WeightFormat.F32;
            case F16:
                return WeightFormat.F16;
            case BF16:
                return WeightFormat.BF16;
            case F8_E4M3:
                return WeightFormat.F8_E4M3;
            default:
                throw new MalformedCheckpointException(
                        info.file()
                                + ": tensor '"
                                + info.name()
                                + "' has dtype "
                                + dtype
                                + ", which the MoeJava engine does not read (F32, F16, BF16,"
                                + " F8_E4M3, Q8_0, Q4_0)");
        }
    }

    private synchronized FileChannel channel(Path file) throws IOException {
        FileChannel channel = channels.get(file);
        if (channel == null) {
            channel = FileChannel.open(file, StandardOpenOption.READ);
            channels.put(file, channel);
        }
        return channel;
    }

    /**
     * Closes the files. The mappings stay valid until they are garbage collected (unmapping them
     * while a matrix could still read them would crash the JVM), so a closed model's pages are
     * released by the next collections.
     */
    @Override
    public synchronized void close() {
        for (FileChannel channel : channels.values()) {
            try {
                channel.close();
            } catch (IOException e) {
                // nothing to do: the channel is read-only
            }
        }
        channels.clear();
    }
}
