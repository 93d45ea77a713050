package io.moezoo.models.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.moezoo.models.language.DecoderSpec;
import io.moezoo.models.language.MoeCausalLm;
import io.moezoo.translators.reward.RewardOutputs;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link LanguageModelFeatures} and {@link LmDoubleLayerRewardModel} against a brute-force oracle:
 * each row's log-probabilities from the language model's own logits on the exact, unpadded
 * sequences, the statistics and the head computed in plain Java.
 */
class LmRewardModelTest {

    static final int VOCAB = 40;
    static final long START = 39;

    static DecoderSpec tinyBase() {
        String moe =
                "{\"router\":{\"type\":\"softmax_top_k\",\"numExperts\":4,\"topK\":2,"
                        + "\"normalizeTopK\":true,\"scalingFactor\":1.0,\"jitter\":0.0,"
                        + "\"nullExperts\":0},\"experts\":{\"type\":\"swiglu\",\"numExperts\":4,"
                        + "\"hiddenSize\":16,\"intermediateSize\":16},\"shared\":null,"
                        + "\"dispatch\":\"sorted\",\"outputBias\":false}";
        return DecoderSpec.fromJson(
                "{\"modelType\":\"moezoo\",\"vocabSize\":"
                        + VOCAB
                        + ",\"hiddenSize\":16,\"attention\":{\"type\":\"gqa\",\"hiddenSize\":16,"
                        + "\"numHeads\":2,\"numKvHeads\":2,\"headDim\":8,\"qkvBias\":false,"
                        + "\"qkNorm\":\"NONE\",\"ropeTheta\":10000.0,\"ropeLinearFactor\":1.0,"
                        + "\"slidingWindow\":0,\"rmsNormEps\":1.0E-5,\"softmaxScale\":0.0,"
                        + "\"rotaryDim\":0,\"oBias\":false,\"sinks\":false,\"yarn\":null},"
                        + "\"ffn\":["
                        + moe
                        + ","
                        + moe
                        + "],\"denseIntermediateSize\":32,\"rmsNormEps\":1.0E-5,"
                        + "\"layerNormEps\":1.0E-5,\"tieWordEmbeddings\":true,"
                        + "\"maxPositionEmbeddings\":32}");
    }

    static LmRewardSpec tinySpec() {
        return new LmRewardSpec(
                LmRewardSpec.DMOERM_LM,
                "test:tiny",
                List.of("fluency", "relevance"),
                List.of("press", "fiction"),
                3,
                4,
                6,
                5,
                2,
                2,
                START);
    }

    /** Rows of (prompt ids, response ids). */
    static final long[][][] ROWS = {
        {{3, 7, 11}, {5, 2, 9, 14}},
        {{1, 2, 3, 4, 5, 6}, {20, 21, 22, 23, 24}},
        {{8, 30}, {17}},
    };

    static NDList inputs(NDManager m, LmFeatureWindow spec) {
        int s = spec.sequenceLength();
        long[] ids = new long[ROWS.length * s];
        float[] pm = new float[ids.length];
        float[] rm = new float[ids.length];
        java.util.Arrays.fill(ids, START);
        for (int b = 0; b < ROWS.length; b++) {
            int at = b * s;
            for (long id : ROWS[b][0]) {
                pm[at] = 1;
                ids[at++] = id;
            }
            for (long id : ROWS[b][1]) {
                rm[at] = 1;
                ids[at++] = id;
            }
        }
        return new NDList(
                m.create(ids).reshape(ROWS.length, s),
                m.create(pm).reshape(ROWS.length, s),
                m.create(rm).reshape(ROWS.length, s));
    }

    static LmDoubleLayerRewardModel model(NDManager m) {
        Engine.getInstance().setRandomSeed(7);
        LmRewardSpec spec = tinySpec();
        LmDoubleLayerRewardModel model = new LmDoubleLayerRewardModel(spec, tinyBase());
        Shape s = new Shape(1, spec.sequenceLength());
        model.initialize(m, DataType.FLOAT32, s, s, s);
        Random rng = new Random(3);
        float[] shift = new float[LanguageModelFeatures.COUNT];
        float[] scale = new float[LanguageModelFeatures.COUNT];
        for (int k = 0; k < shift.length; k++) {
            shift[k] = (float) rng.nextGaussian();
            scale[k] = 0.5f + rng.nextFloat() * 1.5f;
        }
        model.setStandardization(shift, scale);
        return model;
    }

    /** log-softmax of row t of a [L, V] logits array. */
    static double[] logSoftmax(float[] logits, int t) {
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < VOCAB; v++) {
            max = Math.max(max, logits[t * VOCAB + v]);
        }
        double sum = 0;
        for (int v = 0; v < VOCAB; v++) {
            sum += Math.exp(logits[t * VOCAB + v] - max);
        }
        double[] out = new double[VOCAB];
        for (int v = 0; v < VOCAB; v++) {
            out[v] = logits[t * VOCAB + v] - max - Math.log(sum);
        }
        return out;
    }

    static float[] run(NDManager m, MoeCausalLm lm, long[] ids) {
        return lm.logits(
                        new ParameterStore(m, false),
                        m.create(ids).reshape(1, ids.length),
                        null,
                        false,
                        null)
                .toFloatArray();
    }

    /** The ten statistics of one row, by brute force. */
    static double[] oracleStatistics(NDManager m, MoeCausalLm lm, long[] prompt, long[] response) {
        long[] seq = new long[prompt.length + response.length];
        System.arraycopy(prompt, 0, seq, 0, prompt.length);
        System.arraycopy(response, 0, seq, prompt.length, response.length);
        long[] alone = new long[response.length + 1];
        alone[0] = START;
        System.arraycopy(response, 0, alone, 1, response.length);
        float[] withPrompt = run(m, lm, seq);
        float[] without = run(m, lm, alone);
        int n = response.length;
        double[] c = new double[n];
        double[] d = new double[n];
        double sumC = 0, sumU = 0, sumD = 0, minC = 1e9, minD = 1e9, firstC = 0, firstD = 0;
        double tailC = 0;
        int first = Math.min(2, n);
        int tail = Math.min(2, n);
        for (int j = 0; j < n; j++) {
            c[j] = logSoftmax(withPrompt, prompt.length + j - 1)[(int) response[j]];
            double u = logSoftmax(without, j)[(int) response[j]];
            d[j] = c[j] - u;
            sumC += c[j];
            sumU += u;
            sumD += d[j];
            minC = Math.min(minC, c[j]);
            minD = Math.min(minD, d[j]);
            if (j < first) {
                firstC += c[j];
                firstD += d[j];
            }
            if (j >= n - tail) {
                tailC += c[j];
            }
        }
        return new double[] {
            sumC / n,
            sumU / n,
            sumD / n,
            minC,
            minD,
            sumD / 10,
            firstC / first,
            firstD / first,
            tailC / tail,
            Math.log(n)
        };
    }

    @Test
    void statisticsEqualTheBruteForceOracleOnUnpaddedSequences() {
        try (NDManager m = NDManager.newBaseManager()) {
            LmDoubleLayerRewardModel model = model(m);
            NDList out =
                    model.getFeatures()
                            .forward(new ParameterStore(m, false), inputs(m, tinySpec()), false);
            float[] stats = out.get(0).toFloatArray();
            float[] prompt = out.get(1).toFloatArray();
            MoeCausalLm lm = model.getFeatures().getLanguageModel();
            for (int b = 0; b < ROWS.length; b++) {
                double[] want = oracleStatistics(m, lm, ROWS[b][0], ROWS[b][1]);
                for (int k = 0; k < want.length; k++) {
                    assertEquals(
                            want[k],
                            stats[b * LanguageModelFeatures.COUNT + k],
                            1e-4,
                            "row " + b + " " + LanguageModelFeatures.NAMES.get(k));
                }
                NDArray hidden =
                        lm.hiddenStates(
                                new ParameterStore(m, false),
                                m.create(ROWS[b][0]).reshape(1, -1),
                                null,
                                false,
                                null);
                float[] mean = hidden.mean(new int[] {1}).toFloatArray();
                for (int h = 0; h < mean.length; h++) {
                    assertEquals(mean[h], prompt[b * 16 + h], 1e-5, "prompt state " + b);
                }
            }
        }
    }

    @Test
    void headEqualsThePlainJavaDoubleLayerMixture() {
        try (NDManager m = NDManager.newBaseManager()) {
            LmDoubleLayerRewardModel model = model(m);
            LmRewardSpec spec = tinySpec();
            ParameterStore ps = new ParameterStore(m, false);
            NDList features = model.getFeatures().forward(ps, inputs(m, spec), false);
            NDList out = model.forward(ps, inputs(m, spec), false);
            float[] score = out.get(RewardOutputs.SCORE).toFloatArray();
            float[] objectives = out.get(RewardOutputs.OBJECTIVE_SCORES).toFloatArray();
            float[] probabilities = out.get(RewardOutputs.CATEGORY_PROBABILITIES).toFloatArray();
            float[] f = features.get(0).toFloatArray();
            float[] s = features.get(1).toFloatArray();
            HeadOracle oracle = new HeadOracle(model);
            int g = 2;
            int c = 2;

            for (int b = 0; b < ROWS.length; b++) {
                HeadOracle.Result r =
                        oracle.score(
                                java.util.Arrays.copyOfRange(
                                        f,
                                        b * LanguageModelFeatures.COUNT,
                                        (b + 1) * LanguageModelFeatures.COUNT),
                                java.util.Arrays.copyOfRange(s, b * 16, (b + 1) * 16));
                assertEquals(r.score(), score[b], 1e-4, "score " + b);
                for (int k = 0; k < c; k++) {
                    assertEquals(r.objectives()[k], objectives[b * c + k], 1e-4, "objective " + b);
                }
                for (int k = 0; k < g; k++) {
                    assertEquals(r.probabilities()[k], probabilities[b * g + k], 1e-5);
                }
            }
            assertTrue(Float.isFinite(score[0]));
        }
    }

    @Test
    void paddingAndBatchCompanionsDoNotChangeARow() {
        try (NDManager m = NDManager.newBaseManager()) {
            LmDoubleLayerRewardModel model = model(m);
            ParameterStore ps = new ParameterStore(m, false);
            NDList all = inputs(m, tinySpec());
            float[] batch = model.forward(ps, all, false).get(0).toFloatArray();
            for (int b = 0; b < ROWS.length; b++) {
                String index = b + ":" + (b + 1);
                NDList one =
                        new NDList(
                                all.get(0).get(index),
                                all.get(1).get(index),
                                all.get(2).get(index));
                assertEquals(batch[b], model.forward(ps, one, false).get(0).getFloat(0), 1e-5);
            }
        }
    }

    @Test
    void invalidSpecsAndInputsAreRefusedByName() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new LmDoubleLayerRewardModel(
                                        new LmRewardSpec(
                                                LmRewardSpec.DMOERM_LM,
                                                "x",
                                                List.of("a"),
                                                List.of("b"),
                                                2,
                                                2,
                                                6,
                                                5,
                                                2,
                                                2,
                                                VOCAB),
                                        tinyBase()));
        assertTrue(e.getMessage().contains("startToken"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new LmDoubleLayerRewardModel(
                                        new LmRewardSpec(
                                                LmRewardSpec.DMOERM_LM,
                                                "x",
                                                List.of("a"),
                                                List.of("b"),
                                                2,
                                                2,
                                                30,
                                                5,
                                                2,
                                                2,
                                                START),
                                        tinyBase()));
        assertTrue(e.getMessage().contains("context"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                LmRewardSpec.fromJson(
                                        tinySpec()
                                                .toJson()
                                                .replace(
                                                        "\"expertWidth\": 3",
                                                        "\"expertWidth\": 0")));
        assertTrue(e.getMessage().contains("expertWidth"), e.getMessage());
        assertEquals(tinySpec(), LmRewardSpec.fromJson(tinySpec().toJson()));
        try (NDManager m = NDManager.newBaseManager()) {
            LmDoubleLayerRewardModel model = model(m);
            NDList in = inputs(m, tinySpec());
            NDList empty = new NDList(in.get(0), in.get(1), in.get(2).zerosLike());
            e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> model.forward(new ParameterStore(m, false), empty, false));
            assertTrue(e.getMessage().contains("empty response"), e.getMessage());
        }
    }
}
