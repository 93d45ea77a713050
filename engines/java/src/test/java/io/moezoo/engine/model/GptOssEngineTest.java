package io.moezoo.engine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moezoo.blocks.attention.AttentionSpec;
import io.moezoo.engine.tensor.WeightFormat;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.models.language.DecoderSpec;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A tiny gpt-oss model on the engine against a float64 transcription of gpt-oss's forward pass
 * ({@link TinyGptOss}): sinks, per-layer windows (3, then full), q/k/v/o biases, YaRN, the biased
 * router and clamped SwiGLU experts with biases, read from MXFP4 in place or transposed from the
 * dequantized x·W layout; prefill and cached decode within 1e-4 of the same logits.
 */
class GptOssEngineTest {

    private static final double TOLERANCE = 1e-4;
    private static final long[] IDS = {3, 17, 5, 39, 0, 22, 8, 31, 12};

    @ParameterizedTest
    @CsvSource({"false, MXFP4", "true, BF16", "true, F32"})
    void prefillAndCachedDecodeMatchTheFloat64Forward(boolean dequantized, WeightFormat format)
            throws Exception {
        TinyGptOss tiny = new TinyGptOss();
        double[] want = tiny.logits(IDS);
        int v = TinyGptOss.V;
        try (MemorySource source = tiny.source(dequantized, format)) {
            CausalLm model = CausalLm.load(source);
            float[] all = model.forward(IDS, model.newCache(), false);
            for (int p = 0; p < IDS.length; p++) {
                assertTrue(
                        error(want, p, all, p * v) <= TOLERANCE,
                        format + " prefill position " + p + ": " + error(want, p, all, p * v));
            }
            KvCache cache = model.newCache();
            int prompt = 3;
            float[] last = model.forward(Arrays.copyOf(IDS, prompt), cache, true);
            assertTrue(error(want, prompt - 1, last, 0) <= TOLERANCE, format + " prompt");
            for (int p = prompt; p < IDS.length; p++) {
                float[] step = model.forward(new long[] {IDS[p]}, cache, true);
                assertTrue(
                        error(want, p, step, 0) <= TOLERANCE,
                        format + " decode position " + p + ": " + error(want, p, step, 0));
            }
            assertEquals(IDS.length, cache.length());
        }
    }

    @Test
    void theExpectationSeesTheWindowsAndTheSinks() throws Exception {
        // The same weights with one full window for both layers, or without sinks, are far from
        // the expectation: the parity above does test them.
        TinyGptOss tiny = new TinyGptOss();
        double[] want = tiny.logits(IDS);
        DecoderSpec spec = tiny.spec;
        AttentionSpec a = (AttentionSpec) spec.attention();
        DecoderSpec noSinks =
                new DecoderSpec(
                                spec.modelType(),
                                spec.vocabSize(),
                                spec.hiddenSize(),
                                a.withGptOssExtras(true, false, a.yarn()),
                                spec.ffn(),
                                0,
                                spec.rmsNormEps(),
                                spec.layerNormEps(),
                                false,
                                spec.maxPositionEmbeddings())
                        .withSlidingWindows(spec.slidingWindows());
        int last = IDS.length - 1;
        for (DecoderSpec other : new DecoderSpec[] {spec.withSlidingWindows(null), noSinks}) {
            try (MemorySource source = tiny.source(false, WeightFormat.MXFP4).withSpec(other)) {
                CausalLm model = CausalLm.load(source);
                float[] all = model.forward(IDS, model.newCache(), false);
                assertTrue(error(want, last, all, last * TinyGptOss.V) > 1e-2);
            }
        }
    }

    @Test
    void dequantizedExpertsInABlockFormatAreRefusedByKey() throws Exception {
        TinyGptOss tiny = new TinyGptOss();
        try (MemorySource source = tiny.source(true, WeightFormat.F32)) {
            String key = "model.layers.0.mlp.experts.gate_up_proj";
            int rows = TinyGptOss.E * TinyGptOss.H;
            int rowBytes = (int) WeightFormat.Q8_0.rowBytes(2 * TinyGptOss.I);
            source.putBytes(
                    key,
                    WeightFormat.Q8_0,
                    ByteBuffer.allocate(rows * rowBytes),
                    TinyGptOss.E,
                    TinyGptOss.H,
                    2 * TinyGptOss.I);
            MalformedCheckpointException e =
                    assertThrows(MalformedCheckpointException.class, () -> CausalLm.load(source));
            assertTrue(e.getMessage().contains("'" + key + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("x·W layout"), e.getMessage());
            assertTrue(e.getMessage().contains("MXFP4 checkpoint"), e.getMessage());
        }
    }

    private static double error(double[] want, int position, float[] got, int offset) {
        double worst = 0;
        int v = TinyGptOss.V;
        for (int i = 0; i < v; i++) {
            worst = Math.max(worst, Math.abs(want[position * v + i] - got[offset + i]));
        }
        return worst;
    }
}
