package io.moezoo.models.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.moezoo.formats.ParameterFile;
import io.moezoo.formats.TensorDType;
import io.moezoo.translators.reward.RewardOutputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LmArmoRewardModel} against the ArmoRM head computed in plain Java on the block's own
 * language-model features (the features themselves are checked against a brute-force oracle by
 * {@link LmRewardModelTest}): standardisation, the regression, the gating MLP with batch norm in
 * inference mode (random running statistics), the tempered softmax and the weighted sum; then the
 * same outputs after a save and a load through {@link RewardBlockFactory}.
 */
class LmArmoRewardModelTest {

    private static final int F = LanguageModelFeatures.COUNT;
    private static final int H = 16;

    static LmArmoRewardSpec tinySpec() {
        return new LmArmoRewardSpec(
                LmArmoRewardSpec.ARMORM_LM,
                "test:tiny",
                List.of("fluency", "grammaticality", "relevance"),
                5,
                2,
                2.5f,
                6,
                5,
                2,
                2,
                LmRewardModelTest.START);
    }

    /** A model with random heads, standardisation and batch-norm running statistics. */
    static LmArmoRewardModel model(NDManager m) {
        Engine.getInstance().setRandomSeed(11);
        LmArmoRewardSpec spec = tinySpec();
        LmArmoRewardModel model = new LmArmoRewardModel(spec, LmRewardModelTest.tinyBase());
        Shape s = new Shape(1, spec.sequenceLength());
        model.initialize(m, DataType.FLOAT32, s, s, s);
        Random rng = new Random(5);
        float[] shift = new float[F];
        float[] scale = new float[F];
        for (int k = 0; k < F; k++) {
            shift[k] = (float) rng.nextGaussian();
            scale[k] = 0.5f + rng.nextFloat() * 1.5f;
        }
        model.setStandardization(shift, scale);
        for (Pair<String, Parameter> p : model.getParameters()) {
            String name = p.getKey();
            if (name.endsWith("regression") || name.contains("_bn_")) {
                float[] v = new float[Math.toIntExact(p.getValue().getArray().size())];
                for (int i = 0; i < v.length; i++) {
                    v[i] =
                            name.endsWith("running_var")
                                    ? 0.2f + rng.nextFloat()
                                    : (float) rng.nextGaussian();
                }
                p.getValue().getArray().set(v);
            }
        }
        return model;
    }

    private static float[] param(Block block, String name) {
        return block.getParameters().get(name).getArray().toFloatArray();
    }

    /** y = W x for W {@code [rows, x.length]}. */
    private static double[] times(float[] w, double[] x) {
        double[] y = new double[w.length / x.length];
        for (int r = 0; r < y.length; r++) {
            for (int j = 0; j < x.length; j++) {
                y[r] += w[r * x.length + j] * x[j];
            }
        }
        return y;
    }

    /** score, r and g of one row, in double precision. */
    static double[][] oracle(LmArmoRewardModel model, float[] statistics, float[] promptState) {
        LmArmoRewardSpec spec = model.getSpec();
        float[] mu = param(model, "feature_shift");
        float[] sigma = param(model, "feature_scale");
        double[] x = new double[F];
        for (int k = 0; k < F; k++) {
            x[k] = (statistics[k] - mu[k]) / sigma[k];
        }
        double[] r = times(param(model, "regression"), x);
        Block gating = model.getGating();
        double[] h = new double[promptState.length];
        for (int i = 0; i < h.length; i++) {
            h[i] = promptState[i];
        }
        for (int l = 0; l < spec.gatingLayers(); l++) {
            double[] z = times(param(gating, "layer" + l + "_weight"), h);
            float[] mean = param(gating, "layer" + l + "_bn_running_mean");
            float[] var = param(gating, "layer" + l + "_bn_running_var");
            float[] gamma = param(gating, "layer" + l + "_bn_gamma");
            float[] beta = param(gating, "layer" + l + "_bn_beta");
            for (int i = 0; i < z.length; i++) {
                double relu = Math.max(0, z[i]);
                z[i] = (relu - mean[i]) / Math.sqrt(var[i] + 1e-5) * gamma[i] + beta[i];
            }
            h = z;
        }
        double[] logits = times(param(gating, "out_weight"), h);
        float[] bias = param(gating, "out_bias");
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < logits.length; c++) {
            logits[c] = (logits[c] + bias[c]) / spec.gatingTemperature();
            max = Math.max(max, logits[c]);
        }
        double sum = 0;
        double[] g = new double[logits.length];
        for (int c = 0; c < g.length; c++) {
            g[c] = Math.exp(logits[c] - max);
            sum += g[c];
        }
        double score = 0;
        for (int c = 0; c < g.length; c++) {
            g[c] /= sum;
            score += g[c] * r[c];
        }
        return new double[][] {{score}, r, g};
    }

    private static void assertMatchesOracle(LmArmoRewardModel model, NDManager m, Block block) {
        LmArmoRewardSpec spec = model.getSpec();
        ParameterStore ps = new ParameterStore(m, false);
        NDList features = model.getFeatures().forward(ps, LmRewardModelTest.inputs(m, spec), false);
        NDList out = block.forward(ps, LmRewardModelTest.inputs(m, spec), false);
        float[] score = out.get(RewardOutputs.SCORE).toFloatArray();
        float[] rewards = out.get(RewardOutputs.OBJECTIVE_SCORES).toFloatArray();
        float[] gates = out.get(RewardOutputs.OBJECTIVE_WEIGHTS).toFloatArray();
        float[] f = features.get(0).toFloatArray();
        float[] s = features.get(1).toFloatArray();
        int c = spec.objectives().size();
        for (int b = 0; b < LmRewardModelTest.ROWS.length; b++) {
            double[][] expected =
                    oracle(
                            model,
                            Arrays.copyOfRange(f, b * F, (b + 1) * F),
                            Arrays.copyOfRange(s, b * H, (b + 1) * H));
            assertEquals(expected[0][0], score[b], 1e-4, "score " + b);
            for (int k = 0; k < c; k++) {
                assertEquals(expected[1][k], rewards[b * c + k], 1e-4, "reward " + b + "," + k);
                assertEquals(expected[2][k], gates[b * c + k], 1e-5, "gate " + b + "," + k);
            }
        }
        assertTrue(Float.isFinite(score[0]));
    }

    @Test
    void scoreEqualsThePlainJavaArmoRmHead() {
        try (NDManager m = NDManager.newBaseManager()) {
            LmArmoRewardModel model = model(m);
            assertMatchesOracle(model, m, model);
        }
    }

    @Test
    void savedModelLoadsThroughTheFactoryWithTheSameOutputs(@TempDir Path dir) throws Exception {
        try (NDManager m = NDManager.newBaseManager();
                Model holder = Model.newInstance("armorm-lm")) {
            LmArmoRewardModel model = model(m);
            Files.writeString(dir.resolve("model.json"), model.getSpec().toJson());
            Files.writeString(
                    dir.resolve(LmRewardSpec.BASE_FILE), LmRewardModelTest.tinyBase().toJson());
            ParameterFile.save(model, dir.resolve("model.safetensors"), TensorDType.F32);
            Block loaded = new RewardBlockFactory().newBlock(holder, dir, Map.of());
            assertTrue(loaded instanceof LmArmoRewardModel);
            assertMatchesOracle(model, m, loaded);
        }
    }

    @Test
    void invalidSpecsAreRefusedByName(@TempDir Path dir) throws IOException {
        LmArmoRewardSpec ok = tinySpec();
        String json = ok.toJson();
        assertEquals(ok, LmArmoRewardSpec.fromJson(json));
        for (String[] broken :
                new String[][] {
                    {"\"gatingLayers\": 2", "\"gatingLayers\": 0", "gatingLayers"},
                    {"\"gatingTemperature\": 2.5", "\"gatingTemperature\": -1.0", "gatingTemp"},
                    {"\"armorm-lm\"", "\"dmoerm-lm\"", "architecture"},
                    {"\"gatingHidden\": 5,", "", "gatingHidden"},
                }) {
            assertTrue(json.contains(broken[0]), broken[0]);
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> LmArmoRewardSpec.fromJson(json.replace(broken[0], broken[1])));
            assertTrue(e.getMessage().contains(broken[2]), e.getMessage());
        }
        // A base model whose vocabulary does not hold the start token is named.
        Files.writeString(
                dir.resolve("model.json"),
                json.replace("\"startToken\": " + LmRewardModelTest.START, "\"startToken\": 400"));
        Files.writeString(
                dir.resolve(LmRewardSpec.BASE_FILE), LmRewardModelTest.tinyBase().toJson());
        Files.write(dir.resolve("model.safetensors"), new byte[16]);
        try (Model holder = Model.newInstance("armorm-lm")) {
            IOException e =
                    assertThrows(
                            IOException.class,
                            () -> new RewardBlockFactory().newBlock(holder, dir, Map.of()));
            assertTrue(e.getMessage().contains("startToken 400"), e.getMessage());
        }
    }
}
