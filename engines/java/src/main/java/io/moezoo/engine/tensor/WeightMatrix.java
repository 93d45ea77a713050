package io.moezoo.engine.tensor;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A row-major matrix {@code [rows, cols]} read in place from its stored bytes: \(y_r = W_r \cdot
 * x\) for a row, or the row's float32 values.
 *
 * <p>The bytes may be split into chunks (each a buffer of at most 2 GiB, as Java buffers are
 * int-indexed) of {@code rowsPerChunk} rows each. FP8 matrices carry their block scales: element
 * (r, c) is {@code e4m3(r, c) * scales[r / blockRows][c / blockCols]}. MXFP4 matrices read their
 * E8M0 scale bytes in place too, from chunks of the same rows ({@link #mxfp4}).
 */
public final class WeightMatrix {

    private final WeightFormat format;
    private final int rows;
    private final int cols;
    private final StoredBytes[] chunks;
    private final int rowsPerChunk;
    private final int firstRow;
    private final int rowBytes;
    private final RowCodec codec;
    private final float[] scales;
    private final int blockRows;
    private final int blockCols;
    private final StoredBytes[] scaleChunks;
    private final Mxfp4Codec mxfp4;

    private WeightMatrix(
            WeightFormat format,
            int rows,
            int cols,
            StoredBytes[] chunks,
            int rowsPerChunk,
            int firstRow,
            float[] scales,
            int blockRows,
            int blockCols) {
        this(
                format,
                rows,
                cols,
                chunks,
                rowsPerChunk,
                firstRow,
                scales,
                blockRows,
                blockCols,
                null);
    }

    private WeightMatrix(
            WeightFormat format,
            int rows,
            int cols,
            StoredBytes[] chunks,
            int rowsPerChunk,
            int firstRow,
            float[] scales,
            int blockRows,
            int blockCols,
            StoredBytes[] scaleChunks) {
        this.format = format;
        this.rows = rows;
        this.cols = cols;
        this.chunks = chunks;
        this.rowsPerChunk = rowsPerChunk;
        this.firstRow = firstRow;
        this.rowBytes = Math.toIntExact(format.rowBytes(cols));
        this.codec = scaleChunks == null ? Codecs.of(format) : null;
        this.mxfp4 = scaleChunks == null ? null : Codecs.mxfp4();
        this.scaleChunks = scaleChunks;
        this.scales = scales;
        this.blockRows = blockRows;
        this.blockCols = blockCols;
    }

    /**
     * Wraps stored bytes.
     *
     * @param format the element format (not FP8: see {@link #fp8})
     * @param rows the rows
     * @param cols the columns (a multiple of the format's block size)
     * @param chunks the bytes, {@code rowsPerChunk} rows per buffer (the last may hold fewer)
     * @param rowsPerChunk rows per chunk
     * @return the matrix
     * @throws IllegalArgumentException if the buffers do not hold exactly the rows
     */
    public static WeightMatrix of(
            WeightFormat format, int rows, int cols, ByteBuffer[] chunks, int rowsPerChunk) {
        if (format == WeightFormat.F8_E4M3 || format == WeightFormat.MXFP4) {
            throw new IllegalArgumentException(
                    format + " weights need block scales: use fp8() or mxfp4()");
        }
        check(format, rows, cols, chunks, rowsPerChunk);
        return new WeightMatrix(format, rows, cols, order(chunks), rowsPerChunk, 0, null, 0, 0);
    }

    /**
     * Wraps one buffer holding the whole matrix.
     *
     * @param format the element format
     * @param rows the rows
     * @param cols the columns
     * @param data the bytes
     * @return the matrix
     */
    public static WeightMatrix of(WeightFormat format, int rows, int cols, ByteBuffer data) {
        return of(format, rows, cols, new ByteBuffer[] {data}, Math.max(rows, 1));
    }

    /**
     * Wraps FP8 e4m3 bytes with their block scales.
     *
     * @param rows the rows
     * @param cols the columns
     * @param chunks the bytes, {@code rowsPerChunk} rows per buffer
     * @param rowsPerChunk rows per chunk
     * @param scales {@code ceil(rows / blockRows) x ceil(cols / blockCols)} scales, row-major
     * @param blockRows rows per scale block
     * @param blockCols columns per scale block
     * @return the matrix
     */
    public static WeightMatrix fp8(
            int rows,
            int cols,
            ByteBuffer[] chunks,
            int rowsPerChunk,
            float[] scales,
            int blockRows,
            int blockCols) {
        check(WeightFormat.F8_E4M3, rows, cols, chunks, rowsPerChunk);
        long expected =
                (long) ((rows + blockRows - 1) / blockRows) * ((cols + blockCols - 1) / blockCols);
        if (blockRows <= 0 || blockCols <= 0 || scales.length != expected) {
            throw new IllegalArgumentException(
                    "FP8 block scales: " + scales.length + " values, expected " + expected);
        }
        return new WeightMatrix(
                WeightFormat.F8_E4M3,
                rows,
                cols,
                order(chunks),
                rowsPerChunk,
                0,
                scales.clone(),
                blockRows,
                blockCols);
    }

    /**
     * Wraps MXFP4 nibbles ({@code X_blocks}) and their E8M0 scale bytes ({@code X_scales}), both
     * read in place.
     *
     * @param rows the rows
     * @param cols the columns (a multiple of 32)
     * @param blocks the nibbles, {@code cols / 2} bytes a row, {@code rowsPerChunk} rows per buffer
     * @param scales the scale bytes, {@code cols / 32} a row, chunked like the nibbles
     * @param rowsPerChunk rows per chunk
     * @return the matrix
     * @throws IllegalArgumentException if the buffers do not hold exactly the rows
     */
    public static WeightMatrix mxfp4(
            int rows, int cols, ByteBuffer[] blocks, ByteBuffer[] scales, int rowsPerChunk) {
        check(WeightFormat.MXFP4, rows, cols, blocks, rowsPerChunk);
        if (scales.length != blocks.length) {
            throw new IllegalArgumentException(
                    scales.length + " chunks of scales for " + blocks.length + " of blocks");
        }
        for (int c = 0; c < scales.length; c++) {
            long chunkRows = Math.min(rowsPerChunk, rows - (long) c * rowsPerChunk);
            if (scales[c].capacity() != chunkRows * (cols / 32)) {
                throw new IllegalArgumentException(
                        "scale chunk "
                                + c
                                + " holds "
                                + scales[c].capacity()
                                + " bytes, expected "
                                + chunkRows * (cols / 32));
            }
        }
        return new WeightMatrix(
                WeightFormat.MXFP4,
                rows,
                cols,
                order(blocks),
                rowsPerChunk,
                0,
                null,
                0,
                0,
                order(scales));
    }

    private static void check(
            WeightFormat format, int rows, int cols, ByteBuffer[] chunks, int rowsPerChunk) {
        long rowBytes = format.rowBytes(cols);
        if (rows <= 0 || rowsPerChunk <= 0) {
            throw new IllegalArgumentException("A matrix needs rows > 0, got " + rows);
        }
        int expectedChunks = (rows + rowsPerChunk - 1) / rowsPerChunk;
        if (chunks.length != expectedChunks) {
            throw new IllegalArgumentException(
                    chunks.length + " chunks for " + rows + " rows of " + rowsPerChunk);
        }
        for (int c = 0; c < chunks.length; c++) {
            long chunkRows = Math.min(rowsPerChunk, rows - (long) c * rowsPerChunk);
            if (chunks[c].capacity() != chunkRows * rowBytes) {
                throw new IllegalArgumentException(
                        "chunk "
                                + c
                                + " holds "
                                + chunks[c].capacity()
                                + " bytes, expected "
                                + chunkRows * rowBytes
                                + " for "
                                + chunkRows
                                + " rows of "
                                + cols
                                + " "
                                + format);
            }
        }
    }

    private static StoredBytes[] order(ByteBuffer[] chunks) {
        StoredBytes[] ordered = new StoredBytes[chunks.length];
        for (int i = 0; i < chunks.length; i++) {
            ordered[i] = StoredBytes.of(chunks[i]);
        }
        return ordered;
    }

    /**
     * Returns a view of consecutive rows (the gate or up half of a fused projection, one expert of
     * a stacked tensor).
     *
     * @param from the first row
     * @param count the number of rows
     * @return the view, sharing the bytes
     */
    public WeightMatrix rowRange(int from, int count) {
        if (from < 0 || count <= 0 || from + count > rows) {
            throw new IndexOutOfBoundsException(
                    "rows [" + from + ", " + (from + count) + ") of " + rows);
        }
        return new WeightMatrix(
                format,
                count,
                cols,
                chunks,
                rowsPerChunk,
                firstRow + from,
                scales,
                blockRows,
                blockCols,
                scaleChunks);
    }

    /**
     * Returns the format.
     *
     * @return the stored format
     */
    public WeightFormat format() {
        return format;
    }

    /**
     * Returns the rows.
     *
     * @return the row count
     */
    public int rows() {
        return rows;
    }

    /**
     * Returns the columns.
     *
     * @return the row length
     */
    public int cols() {
        return cols;
    }

    /**
     * Returns the stored bytes of this matrix (or view).
     *
     * @return rows times the row's bytes (MXFP4: with the scale bytes)
     */
    public long byteSize() {
        return (long) rows * (scaleChunks == null ? rowBytes : rowBytes + cols / 32);
    }

    /**
     * Returns \(W_r \cdot x\).
     *
     * @param row the row
     * @param x at least {@code cols} values from {@code xOffset}
     * @param xOffset the first value of x
     * @return the dot product
     */
    public float dot(int row, float[] x, int xOffset) {
        int r = firstRow + row;
        StoredBytes chunk = rowChunk(r);
        int offset = rowOffset(r);
        if (scaleChunks != null) {
            StoredBytes s = scaleChunks[r / rowsPerChunk];
            return mxfp4.dot(chunk, offset, s, (r % rowsPerChunk) * (cols / 32), x, xOffset, cols);
        }
        if (scales == null) {
            return codec.dot(chunk, offset, x, xOffset, cols);
        }
        int blocks = (cols + blockCols - 1) / blockCols;
        int scaleRow = (r / blockRows) * blocks;
        float sum = 0;
        for (int b = 0; b < blocks; b++) {
            int from = b * blockCols;
            int count = Math.min(blockCols, cols - from);
            sum += scales[scaleRow + b] * codec.dot(chunk, offset + from, x, xOffset + from, count);
        }
        return sum;
    }

    /**
     * Computes \(W_r \cdot x_t\) for several vectors, each value exactly as {@link #dot} gives it;
     * rows without block scales are read once for all vectors where the codec can ({@link
     * RowCodec#dotTokens}).
     *
     * @param row the row
     * @param x the vectors, {@code cols} values each, one after the other
     * @param xOffset the first value of vector 0
     * @param tokens the vectors
     * @param out receives the dot products
     * @param outOffset where vector 0's goes
     * @param outStride the distance between the vectors' dot products
     */
    public void dotTokens(
            int row,
            float[] x,
            int xOffset,
            int tokens,
            float[] out,
            int outOffset,
            int outStride) {
        if (scaleChunks != null || scales != null) {
            for (int t = 0; t < tokens; t++) {
                out[outOffset + t * outStride] = dot(row, x, xOffset + t * cols);
            }
            return;
        }
        int r = firstRow + row;
        codec.dotTokens(
                rowChunk(r), rowOffset(r), x, xOffset, cols, tokens, out, outOffset, outStride);
    }

    /**
     * Returns whether {@link #dotSplit} is this matrix's fast row product: rows whose codec pairs
     * with x best in {@link SplitOrder split order} (MXFP4's nibbles; BF16's lane halves), without
     * block scales, in whole blocks of 32.
     *
     * @return true when a product of many rows should split x once and call {@link #dotSplit}
     */
    public boolean prefersSplitX() {
        if (scaleChunks != null) {
            return mxfp4.prefersSplit();
        }
        return scales == null && cols % 32 == 0 && codec.prefersSplit();
    }

    /**
     * Returns \(W_r \cdot x\), x given in {@link SplitOrder split order}.
     *
     * @param row the row
     * @param split x in split order, {@code cols} values from {@code splitOffset}
     * @param splitOffset the first value
     * @return the dot product
     * @throws IllegalStateException if the rows cannot take x in split order (block scales, or a
     *     row length that is not whole blocks of 32)
     */
    public float dotSplit(int row, float[] split, int splitOffset) {
        int r = firstRow + row;
        StoredBytes chunk = rowChunk(r);
        int offset = rowOffset(r);
        if (scaleChunks != null) {
            StoredBytes s = scaleChunks[r / rowsPerChunk];
            return mxfp4.dotSplit(
                    chunk, offset, s, (r % rowsPerChunk) * (cols / 32), split, splitOffset, cols);
        }
        if (scales != null || cols % 32 != 0) {
            throw new IllegalStateException(format + " rows take x in natural order: use dot()");
        }
        return codec.dotSplit(chunk, offset, split, splitOffset, cols);
    }

    /**
     * {@link #dotSplit} for several vectors, each value exactly as {@link #dotSplit} gives it; BF16
     * rows are read once for all vectors ({@link RowCodec#dotSplitTokens}).
     *
     * @param row the row
     * @param split the vectors in split order, {@code cols} values each, one after the other
     * @param splitOffset the first value of vector 0
     * @param tokens the vectors
     * @param out receives the dot products
     * @param outOffset where vector 0's goes
     * @param outStride the distance between the vectors' dot products
     */
    public void dotSplitTokens(
            int row,
            float[] split,
            int splitOffset,
            int tokens,
            float[] out,
            int outOffset,
            int outStride) {
        if (scaleChunks != null || scales != null || cols % 32 != 0) {
            for (int t = 0; t < tokens; t++) {
                out[outOffset + t * outStride] = dotSplit(row, split, splitOffset + t * cols);
            }
            return;
        }
        int r = firstRow + row;
        codec.dotSplitTokens(
                rowChunk(r),
                rowOffset(r),
                split,
                splitOffset,
                cols,
                tokens,
                out,
                outOffset,
                outStride);
    }

    /**
     * Writes the row's float32 values.
     *
     * @param row the row
     * @param out receives {@code cols} values from {@code outOffset}
     * @param outOffset the first index written
     */
    public void decodeRow(int row, float[] out, int outOffset) {
        int r = firstRow + row;
        StoredBytes chunk = rowChunk(r);
        int offset = rowOffset(r);
        if (scaleChunks != null) {
            StoredBytes s = scaleChunks[r / rowsPerChunk];
            mxfp4.decode(chunk, offset, s, (r % rowsPerChunk) * (cols / 32), out, outOffset, cols);
            return;
        }
        codec.decode(chunk, offset, out, outOffset, cols);
        if (scales != null) {
            int blocks = (cols + blockCols - 1) / blockCols;
            int scaleRow = (r / blockRows) * blocks;
            for (int c = 0; c < cols; c++) {
                out[outOffset + c] *= scales[scaleRow + c / blockCols];
            }
        }
    }

    /**
     * Returns the bytes a codec reads row r (counted from the stored tensor's first row) from: a
     * staged copy or the stored chunk itself (see {@link RowReads}).
     */
    private StoredBytes rowChunk(int r) {
        StoredBytes chunk = chunks[r / rowsPerChunk];
        return RowReads.STAGE
                ? RowReads.stage(chunk, (r % rowsPerChunk) * rowBytes, rowBytes)
                : chunk;
    }

    /** Where row r starts in {@link #rowChunk}'s bytes. */
    private int rowOffset(int r) {
        return RowReads.STAGE ? 0 : (r % rowsPerChunk) * rowBytes;
    }

    /**
     * Returns all values as float32 (tests and small tensors such as norms and biases).
     *
     * @return {@code rows * cols} values, row-major
     */
    public float[] toFloats() {
        float[] out = new float[Math.multiplyExact(rows, cols)];
        for (int r = 0; r < rows; r++) {
            decodeRow(r, out, r * cols);
        }
        return out;
    }

    @Override
    public String toString() {
        return "WeightMatrix" + Arrays.asList(rows, cols) + " " + format;
    }
}
