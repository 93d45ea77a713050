package io.moezoo.engine.gguf;

import io.moezoo.formats.Checkpoint;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.formats.Mxfp4Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * gpt-oss's experts in the layout of llama.cpp's tensors, read from a checkpoint for export. The
 * plan names them under {@code model.layers.<i>.mlp.experts.}: {@link #GATE} and {@link #UP} {@code
 * [E, I, H]}, {@link #DOWN} {@code [E, H, I]} (rows are outputs), {@link #GATE_BIAS} and {@link
 * #UP_BIAS} {@code [E, I]}. They come from either stored form:
 *
 * <ul>
 *   <li>MXFP4 ({@code gate_up_proj_blocks/_scales [E, 2I, H/32, 16]/[E, 2I, H/32]}, {@code
 *       down_proj_blocks/_scales}): gate is rows 2j, up rows 2j + 1, each block repacked into
 *       ggml's MXFP4 block ({@link Mxfp4Repack}), no requantisation.
 *   <li>Dequantized, x·W ({@code gate_up_proj [E, H, 2I]}, {@code down_proj [E, I, H]}): columns 2j
 *       and 2j + 1 and the columns of down, transposed into rows and encoded in the export type.
 * </ul>
 *
 * Both carry {@code gate_up_proj_bias [E, 2I]}, split into even (gate) and odd (up) entries. The
 * name {@code down_proj} is also a stored (x·W) key: only this class reads it for gpt-oss.
 */
final class GptOssExpertRows {

    /** The gate projections, {@code [E, I, H]}. */
    static final String GATE = "gate_proj";

    /** The up projections, {@code [E, I, H]}. */
    static final String UP = "up_proj";

    /** The down projections, {@code [E, H, I]}. */
    static final String DOWN = "down_proj";

    /** The gate biases, {@code [E, I]}. */
    static final String GATE_BIAS = "gate_proj_bias";

    /** The up biases, {@code [E, I]}. */
    static final String UP_BIAS = "up_proj_bias";

    private static final Pattern KEY =
            Pattern.compile(
                    "(model\\.layers\\.\\d+\\.mlp\\.experts\\.)(gate_proj|up_proj|down_proj)");

    private static final Pattern BIAS =
            Pattern.compile("(model\\.layers\\.\\d+\\.mlp\\.experts\\.)(gate_proj|up_proj)_bias");

    private final Checkpoint checkpoint;
    private final CheckpointRows rows;

    GptOssExpertRows(Checkpoint checkpoint, CheckpointRows rows) {
        this.checkpoint = checkpoint;
        this.rows = rows;
    }

    /** Whether a plan key is one of the split keys this class reads. */
    static boolean handles(String key) {
        return KEY.matcher(key).matches() || BIAS.matcher(key).matches();
    }

    /**
     * Checks the stored tensors behind a split tensor and returns the type it is written in: MXFP4
     * for weights stored in MXFP4, F32 for biases and for rows that are not whole blocks of the
     * export type, else the export type.
     */
    GgufType type(String key, long[] keyShape, GgufType requested)
            throws IOException, MalformedCheckpointException {
        long e = keyShape[0];
        Matcher bias = BIAS.matcher(key);
        if (bias.matches()) {
            rows.resolve(bias.group(1) + "gate_up_proj_bias", new long[] {e, 2 * keyShape[1]});
            return GgufType.F32;
        }
        Matcher m = KEY.matcher(key);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a gpt-oss expert key: " + key);
        }
        long stored = keyShape[1] * (m.group(2).equals(DOWN) ? 1 : 2);
        Mxfp4Tensor pair = checkpoint.mxfp4(stored(m));
        if (pair != null) {
            long[] expected = {e, stored, keyShape[2] / 32, Mxfp4Repack.NIBBLE_BYTES};
            if (!Arrays.equals(pair.blocks().shape().getShape(), expected)) {
                throw new MalformedCheckpointException(
                        pair.blocks().file()
                                + ": '"
                                + pair.blocks().name()
                                + "' has shape "
                                + pair.blocks().shape()
                                + ", expected "
                                + Arrays.toString(expected));
            }
            return GgufType.MXFP4;
        }
        rows.resolve(stored(m), new long[] {e, keyShape[2], stored});
        return keyShape[2] % requested.blockSize() == 0 ? requested : GgufType.F32;
    }

    /** The stored tensor holding a split weight: gate_up_proj or down_proj. */
    private static String stored(Matcher m) {
        return m.group(1) + (m.group(2).equals(DOWN) ? "down_proj" : "gate_up_proj");
    }

    /** Streams a split tensor of shape keyShape in the type {@link #type} returned. */
    void write(String key, long[] keyShape, GgufType type, GgufWriter.TensorOutput out)
            throws IOException {
        try {
            stream(key, keyShape, type, out);
        } catch (MalformedCheckpointException e) {
            // Checked by type(); only a file changed since then gets here.
            throw new IOException(e.getMessage(), e);
        }
    }

    private void stream(String key, long[] keyShape, GgufType type, GgufWriter.TensorOutput out)
            throws IOException, MalformedCheckpointException {
        int e = (int) keyShape[0];
        Matcher bias = BIAS.matcher(key);
        if (bias.matches()) {
            int units = (int) keyShape[1];
            CheckpointRows.Slice s =
                    rows.resolve(bias.group(1) + "gate_up_proj_bias", new long[] {e, 2L * units});
            int parity = bias.group(2).equals(GATE) ? 0 : 1;
            float[] both = new float[2 * units];
            float[] one = new float[units];
            for (int j = 0; j < e; j++) {
                CheckpointRows.row(s, j, both);
                for (int u = 0; u < units; u++) {
                    one[u] = both[2 * u + parity];
                }
                GgufExport.emit(one, GgufType.F32, out);
            }
            return;
        }
        Matcher m = KEY.matcher(key);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a gpt-oss expert key: " + key);
        }
        int outRows = (int) keyShape[1];
        int cols = (int) keyShape[2];
        // Each output row is a row (MXFP4, [E, R, C]) or column (x·W, [E, C, R]) of the stored
        // tensor: row·step + offset, with gate/up interleaved (step 2) and down direct.
        boolean down = m.group(2).equals(DOWN);
        int step = down ? 1 : 2;
        int offset = m.group(2).equals(UP) ? 1 : 0;
        if (type == GgufType.MXFP4) {
            repack(checkpoint.mxfp4(stored(m)), e, outRows * step, cols, step, offset, out);
        } else {
            transpose(stored(m), e, outRows * step, cols, step, offset, type, out);
        }
    }

    /** Repacks rows {@code step·r + offset} of an MXFP4 pair {@code [E, stored, C/32(, 16)]}. */
    private void repack(
            Mxfp4Tensor pair,
            int experts,
            int stored,
            int cols,
            int step,
            int offset,
            GgufWriter.TensorOutput out)
            throws IOException, MalformedCheckpointException {
        int groups = cols / 32;
        long expertBlocks = (long) stored * groups;
        ByteBuffer row =
                ByteBuffer.allocate(groups * Mxfp4Repack.GGUF_BLOCK_BYTES)
                        .order(ByteOrder.LITTLE_ENDIAN);
        for (int e = 0; e < experts; e++) {
            long nibbles = expertBlocks * Mxfp4Repack.NIBBLE_BYTES;
            ByteBuffer blocks = checkpoint.map(pair.blocks(), e * nibbles, nibbles);
            ByteBuffer scales = checkpoint.map(pair.scales(), e * expertBlocks, expertBlocks);
            for (int r = offset; r < stored; r += step) {
                row.clear();
                for (int g = 0; g < groups; g++) {
                    int block = r * groups + g;
                    Mxfp4Repack.block(
                            blocks, block * Mxfp4Repack.NIBBLE_BYTES, scales.get(block), row);
                }
                out.write(row.flip());
            }
        }
    }

    /** Writes columns {@code step·r + offset} of an x·W tensor {@code [E, C, stored]} as rows. */
    private void transpose(
            String key,
            int experts,
            int stored,
            int cols,
            int step,
            int offset,
            GgufType type,
            GgufWriter.TensorOutput out)
            throws IOException, MalformedCheckpointException {
        CheckpointRows.Slice s = rows.resolve(key, new long[] {experts, cols, stored});
        float[] expert = new float[cols * stored];
        float[] line = new float[stored];
        float[] values = new float[cols];
        for (int e = 0; e < experts; e++) {
            for (int c = 0; c < cols; c++) {
                CheckpointRows.row(s, e * cols + c, line);
                System.arraycopy(line, 0, expert, c * stored, stored);
            }
            for (int r = offset; r < stored; r += step) {
                for (int c = 0; c < cols; c++) {
                    values[c] = expert[c * stored + r];
                }
                GgufExport.emit(values, type, out);
            }
        }
    }
}
