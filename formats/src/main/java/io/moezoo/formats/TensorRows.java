package io.moezoo.formats;

import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Reads a float tensor of a {@link Checkpoint} as float32 rows of its last dimension, a few rows at
 * a time, exactly as {@link Checkpoint#load} would give them: F32, F64, F16 and BF16 widened, FP8
 * e4m3 multiplied by its block scales, Q8_0/Q4_0 and MXFP4 ({@link Mxfp4Tensor}) dequantised. Only
 * the rows asked for are mapped, so a tensor of any size is read in bounded memory.
 */
public final class TensorRows {

    private final Checkpoint checkpoint;
    private final TensorInfo info;
    private final long rows;
    private final int cols;
    private final long rowBytes;
    private final float[] scales;
    private final int blockRows;
    private final int blockCols;
    private final Mxfp4Tensor mxfp4;

    private TensorRows(
            Checkpoint checkpoint,
            TensorInfo info,
            long rows,
            int cols,
            float[] scales,
            Mxfp4Tensor mxfp4) {
        this.checkpoint = checkpoint;
        this.info = info;
        this.rows = rows;
        this.cols = cols;
        this.mxfp4 = mxfp4;
        if (mxfp4 != null) {
            this.rowBytes = cols / Mxfp4Tensor.BLOCK * Mxfp4Tensor.BLOCK_BYTES;
        } else if (info.format() != null) {
            this.rowBytes = info.format().rowBytes(cols);
        } else {
            this.rowBytes = (long) cols * info.dtype().bytes();
        }
        this.scales = scales;
        int[] block = checkpoint.fp8BlockSize();
        this.blockRows = block[0];
        this.blockCols = block[1];
    }

    /**
     * Opens a tensor for reading.
     *
     * @param checkpoint the checkpoint
     * @param key the tensor key
     * @return the reader
     * @throws IOException if a file cannot be read
     * @throws MalformedCheckpointException if the tensor is missing, not a float (or quantised)
     *     tensor, has a row longer than 2^24 values, is FP8 without fitting block scales or a
     *     malformed MXFP4 pair
     */
    public static TensorRows open(Checkpoint checkpoint, String key)
            throws IOException, MalformedCheckpointException {
        TensorInfo info = checkpoint.info(key);
        Mxfp4Tensor mxfp4 = checkpoint.mxfp4(key);
        if (mxfp4 == null && info.format() == null && !info.dtype().isFloat()) {
            throw new MalformedCheckpointException(
                    info.file()
                            + ": tensor "
                            + StrictJson.name(key)
                            + " has dtype "
                            + info.dtype()
                            + ", not a float type");
        }
        Shape shape = mxfp4 != null ? mxfp4.shape() : info.logicalShape();
        long cols = shape.dimension() == 0 ? 1 : shape.get(shape.dimension() - 1);
        if (cols > (1 << 24)) {
            throw new MalformedCheckpointException(
                    info.file()
                            + ": tensor "
                            + StrictJson.name(key)
                            + " has rows of "
                            + cols
                            + " values, more than 2^24");
        }
        long rows = cols == 0 ? 0 : shape.size() / cols;
        float[] scales = null;
        if (mxfp4 == null && info.format() == null && info.dtype() == TensorDType.F8_E4M3) {
            String problem = checkpoint.storedProblem(key);
            if (problem != null) {
                throw new MalformedCheckpointException(checkpoint.location() + ": " + problem);
            }
            TensorRows s = open(checkpoint, key + "_scale_inv");
            scales = new float[Math.toIntExact(s.rows * s.cols)];
            s.read(0, (int) s.rows, scales, 0);
        }
        return new TensorRows(checkpoint, info, rows, (int) cols, scales, mxfp4);
    }

    /**
     * Returns the number of rows (the product of the leading dimensions).
     *
     * @return the rows
     */
    public long rows() {
        return rows;
    }

    /**
     * Returns the row length (the last dimension; 1 for a scalar).
     *
     * @return the columns
     */
    public int cols() {
        return cols;
    }

    /**
     * Returns the tensor's header entry.
     *
     * @return the entry
     */
    public TensorInfo info() {
        return info;
    }

    /**
     * Reads rows as float32.
     *
     * @param first the first row
     * @param count the rows to read (their bytes below 2 GiB)
     * @param out receives {@code count · cols()} values
     * @param outOffset the first index written
     * @throws IOException if the file cannot be read
     * @throws MalformedCheckpointException if the file changed since it was opened
     */
    public void read(long first, int count, float[] out, int outOffset)
            throws IOException, MalformedCheckpointException {
        if (first < 0 || count < 0 || first > rows - count) {
            throw new IllegalArgumentException(
                    "rows [" + first + ", " + first + " + " + count + ") outside " + rows);
        }
        int values = Math.multiplyExact(count, cols);
        if (values == 0) {
            return;
        }
        ByteBuffer bytes = checkpoint.map(info, first * rowBytes, count * rowBytes);
        try {
            if (mxfp4 != null) {
                int scaleRow = cols / Mxfp4Tensor.BLOCK;
                ByteBuffer s =
                        checkpoint.map(mxfp4.scales(), first * scaleRow, (long) count * scaleRow);
                try {
                    Mxfp4Tensor.dequantize(bytes, 0, s, 0, out, outOffset, values);
                } finally {
                    Unmapping.release(s);
                }
                return;
            }
            if (info.format() != null) {
                info.format().dequantize(bytes, 0, out, outOffset, values);
                return;
            }
            for (int i = 0; i < values; i++) {
                out[outOffset + i] = value(bytes, i);
            }
            if (scales != null) {
                int scaleCols = (cols + blockCols - 1) / blockCols;
                for (int r = 0; r < count; r++) {
                    long row = first + r;
                    int scaleRow = (int) (row / blockRows) * scaleCols;
                    for (int c = 0; c < cols; c++) {
                        out[outOffset + r * cols + c] *= scales[scaleRow + c / blockCols];
                    }
                }
            }
        } finally {
            Unmapping.release(bytes);
        }
    }

    private float value(ByteBuffer bytes, int i) {
        switch (info.dtype()) {
            case F32:
                return bytes.getFloat(4 * i);
            case F64:
                return (float) bytes.getDouble(8 * i);
            case F16:
                return Half.f16(bytes.getShort(2 * i));
            case BF16:
                return Half.bf16(bytes.getShort(2 * i));
            case F8_E4M3:
                return Half.e4m3(bytes.get(i));
            default:
                throw new IllegalStateException(info.dtype() + " is not a float type");
        }
    }
}
