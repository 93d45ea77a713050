package io.moezoo.engine.model;

import io.moezoo.blocks.spec.ClampedSwiGluExpertSpec;
import io.moezoo.engine.tensor.TensorSource;
import io.moezoo.engine.tensor.TransposedCopy;
import io.moezoo.engine.tensor.WeightMatrix;
import io.moezoo.formats.MalformedCheckpointException;
import java.io.IOException;
import java.util.Arrays;

/**
 * Reads the experts of one gpt-oss MoE layer ({@code <block>experts.}) in either stored form:
 *
 * <ul>
 *   <li>MXFP4 (the hub checkpoints): {@code gate_up_proj_blocks/_scales} read in place as {@code
 *       gate_up_proj [E, 2I, H]} (rows are outputs, gate and up interleaved: row 2j is gate j, row
 *       2j + 1 up j), {@code down_proj_blocks/_scales} as {@code down_proj [E, H, I]}.
 *   <li>Dequantized ({@code save_pretrained} of a dequantized model): {@code gate_up_proj [E, H,
 *       2I]} and {@code down_proj [E, I, H]} in the x·W layout (columns are outputs, interleaved
 *       the same way), transposed at load into heap copies in their stored precision (F32, F16 or
 *       BF16 only).
 * </ul>
 *
 * The forms are told apart by whether {@code gate_up_proj_blocks} exists, not by shape (H = I in
 * gpt-oss-20b). Both carry {@code gate_up_proj_bias [E, 2I]} (interleaved) and {@code
 * down_proj_bias [E, H]}.
 *
 * <p>A GGUF file ({@code GgufSource}) serves a third, split form, llama.cpp's: {@code gate_proj}
 * and {@code up_proj [E, I, H]}, {@code down_proj [E, H, I]} (rows are outputs, any row format,
 * MXFP4 in ggml's blocks included), with {@code gate_proj_bias}, {@code up_proj_bias [E, I]} and
 * {@code down_proj_bias [E, H]}; it is recognised by {@code gate_proj}.
 */
final class GptOssExperts {

    private GptOssExperts() {}

    /**
     * Reads the experts.
     *
     * @param source the checkpoint
     * @param block the MoE block's key prefix ({@code model.layers.<i>.mlp.})
     * @param spec the expert spec
     * @param hidden H
     * @return one expert per id
     * @throws IOException if the checkpoint cannot be read
     * @throws MalformedCheckpointException if a tensor is missing, misshapen or in a format the
     *     dequantized form cannot be transposed from
     */
    static ClampedSwiGluFfn[] load(
            TensorSource source, String block, ClampedSwiGluExpertSpec spec, int hidden)
            throws IOException, MalformedCheckpointException {
        int e = spec.numExperts();
        int h = hidden;
        int i = spec.intermediateSize();
        String x = block + "experts.";
        if (source.contains(x + "gate_proj")) {
            return split(source, x, spec, hidden);
        }
        float[] gateUpBias = source.floats(x + "gate_up_proj_bias", e, 2L * i);
        float[] downBias = source.floats(x + "down_proj_bias", e, h);
        boolean mxfp4 = source.contains(x + "gate_up_proj_blocks");
        WeightMatrix gateUp;
        WeightMatrix down;
        if (mxfp4) {
            gateUp = source.matrix(x + "gate_up_proj", e, 2L * i, h);
            down = source.matrix(x + "down_proj", e, h, i);
        } else {
            gateUp = source.matrix(x + "gate_up_proj", e, h, 2L * i);
            down = source.matrix(x + "down_proj", e, i, h);
            transposable(x + "gate_up_proj", gateUp);
            transposable(x + "down_proj", down);
        }
        ClampedSwiGluFfn[] experts = new ClampedSwiGluFfn[e];
        for (int j = 0; j < e; j++) {
            WeightMatrix gu;
            WeightMatrix d;
            if (mxfp4) {
                gu = gateUp.rowRange(2 * i * j, 2 * i);
                d = down.rowRange(h * j, h);
            } else {
                gu = TransposedCopy.of(gateUp.rowRange(h * j, h));
                d = TransposedCopy.of(down.rowRange(i * j, i));
            }
            experts[j] =
                    new ClampedSwiGluFfn(
                            gu,
                            Arrays.copyOfRange(gateUpBias, 2 * i * j, 2 * i * (j + 1)),
                            d,
                            Arrays.copyOfRange(downBias, h * j, h * (j + 1)),
                            spec.limit(),
                            spec.alpha());
        }
        return experts;
    }

    /** The split form of a GGUF file: gate, up and down with rows as outputs. */
    private static ClampedSwiGluFfn[] split(
            TensorSource source, String x, ClampedSwiGluExpertSpec spec, int h)
            throws IOException, MalformedCheckpointException {
        int e = spec.numExperts();
        int i = spec.intermediateSize();
        WeightMatrix gate = source.matrix(x + "gate_proj", e, i, h);
        WeightMatrix up = source.matrix(x + "up_proj", e, i, h);
        WeightMatrix down = source.matrix(x + "down_proj", e, h, i);
        float[] gateBias = source.floats(x + "gate_proj_bias", e, i);
        float[] upBias = source.floats(x + "up_proj_bias", e, i);
        float[] downBias = source.floats(x + "down_proj_bias", e, h);
        ClampedSwiGluFfn[] experts = new ClampedSwiGluFfn[e];
        for (int j = 0; j < e; j++) {
            experts[j] =
                    new ClampedSwiGluFfn(
                            gate.rowRange(i * j, i),
                            Arrays.copyOfRange(gateBias, i * j, i * (j + 1)),
                            up.rowRange(i * j, i),
                            Arrays.copyOfRange(upBias, i * j, i * (j + 1)),
                            down.rowRange(h * j, h),
                            Arrays.copyOfRange(downBias, h * j, h * (j + 1)),
                            spec.limit(),
                            spec.alpha());
        }
        return experts;
    }

    private static void transposable(String key, WeightMatrix w)
            throws MalformedCheckpointException {
        if (!TransposedCopy.supports(w.format())) {
            throw new MalformedCheckpointException(
                    "tensor '"
                            + key
                            + "' is stored in the x·W layout (a dequantized gpt-oss checkpoint,"
                            + " without '"
                            + key
                            + "_blocks') in "
                            + w.format()
                            + ": the MoeJava engine transposes such experts at load only from F32,"
                            + " F16 or BF16; use the MXFP4 checkpoint or the PyTorch engine");
        }
    }
}
