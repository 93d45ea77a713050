package io.moezoo.recipes.reward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.moezoo.blocks.surgery.WeightAssignment;
import io.moezoo.models.language.DecoderLayer;
import io.moezoo.models.reward.ArmoRewardModel;
import io.moezoo.models.reward.DoubleLayerMoeRewardModel;
import io.moezoo.models.reward.GatingNetwork;
import io.moezoo.models.reward.MaskedMean;
import io.moezoo.models.reward.PairwiseLoss;
import io.moezoo.models.reward.RewardModelSpec;
import io.moezoo.translators.reward.EncodedResponse;
import io.moezoo.translators.reward.RewardOutputs;
import io.moezoo.translators.reward.RewardTextEncoding;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Block-level correctness of the reward models against hand computations. */
class RewardBlocksTest {

    private static final float EPS = 1e-5f;

    /** RMSNorm by hand: x / sqrt(mean(x^2) + eps) * w. */
    private static NDArray rms(NDArray x, NDArray w) {
        return x.div(x.square().mean(new int[] {-1}, true).add(EPS).sqrt()).mul(w);
    }

    private static NDArray silu(NDArray x) {
        return x.mul(x.neg().exp().add(1).pow(-1));
    }

    private static NDArray value(DoubleLayerMoeRewardModel m, String suffix) {
        for (Pair<String, Parameter> p : m.getParameters()) {
            if (p.getKey().endsWith(suffix)) {
                return p.getValue().getArray();
            }
        }
        throw new AssertionError("no parameter " + suffix);
    }

    private static NDList inputs(NDManager manager, String[][] texts) throws Exception {
        RewardTextEncoding enc = new RewardTextEncoding(TinyModels.PROMPT, TinyModels.RESPONSE);
        int s = enc.sequenceLength();
        long[] ids = new long[texts.length * s];
        float[] pm = new float[texts.length * s];
        float[] rm = new float[texts.length * s];
        for (int i = 0; i < texts.length; i++) {
            EncodedResponse e = enc.encode(texts[i][0], texts[i][1], "response");
            System.arraycopy(e.ids(), 0, ids, i * s, s);
            System.arraycopy(e.promptMask(), 0, pm, i * s, s);
            System.arraycopy(e.responseMask(), 0, rm, i * s, s);
        }
        Shape shape = new Shape(texts.length, s);
        return new NDList(
                manager.create(ids, shape), manager.create(pm, shape), manager.create(rm, shape));
    }

    @Test
    void loraExpertEqualsFrozenFfnPlusScaledBaByHand() {
        try (NDManager m = NDManager.newBaseManager()) {
            DoubleLayerMoeRewardModel model =
                    TinyModels.build(m, new DoubleLayerMoeRewardModel(TinyModels.dmoerm()), 1);
            int expert = 4; // category 1 ("y"), dimension 1 ("b")
            NDArray residual = m.randomNormal(new Shape(3, 5, 8));
            NDArray mask =
                    m.create(
                            new float[] {1, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0},
                            new Shape(3, 5));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray got = model.expertFeatures(ps, residual, mask, expert, 1, false).get(0);

            DecoderLayer last = model.getEncoder().getLm().getLayers().get(1);
            NDArray x = rms(residual, last.getPostAttentionNorm().getWeight().getArray());
            float scale = 4f / 2f;
            String[] names = {"gate", "up", "down"};
            Map<String, NDArray> proj = new HashMap<>();
            NDArray[] bases = {
                model.getExperts().getBase(0).getArray(),
                model.getExperts().getBase(1).getArray(),
                model.getExperts().getBase(2).getArray()
            };
            // the bank's frozen projections are independent copies; check they are used, not the
            // encoder's
            NDArray in = x;
            for (int p = 0; p < 3; p++) {
                NDArray a = value(model, "lora_a_" + names[p]).get(expert);
                NDArray b = value(model, "lora_b_" + names[p]).get(expert);
                NDArray wEff = bases[p].add(b.matMul(a).mul(scale));
                if (p < 2) {
                    proj.put(names[p], in.matMul(wEff.transpose()));
                } else {
                    in = silu(proj.get("gate")).mul(proj.get("up"));
                    proj.put("down", in.matMul(wEff.transpose()));
                }
            }
            NDArray hidden =
                    rms(
                            residual.add(proj.get("down")),
                            model.getEncoder().getLm().getNorm().getWeight().getArray());
            NDArray expected =
                    hidden.mul(mask.expandDims(2))
                            .sum(new int[] {1})
                            .div(mask.sum(new int[] {1}).expandDims(1));
            assertArrayEquals(expected.toFloatArray(), got.toFloatArray(), 1e-4f);
            // a zero B reproduces the frozen FFN exactly
            NDArray withLora = got;
            for (String n : names) {
                for (Pair<String, Parameter> p : model.getParameters()) {
                    if (p.getKey().endsWith("lora_b_" + n)) {
                        WeightAssignment.assign(
                                p.getValue(), m.zeros(p.getValue().getArray().getShape()));
                    }
                }
            }
            NDArray plain = model.expertFeatures(ps, residual, mask, expert, 1, false).get(0);
            NDArray baseOnly =
                    MaskedMean.of(
                            model.getEncoder()
                                    .finish(
                                            ps,
                                            residual,
                                            model.getEncoder()
                                                    .baseFfn(
                                                            ps,
                                                            model.getEncoder()
                                                                    .ffnInput(ps, residual))),
                            mask);
            WeightAssignment.assign(
                    model.getExperts().getBase(0), last.getDense().getGateProj().getArray());
            WeightAssignment.assign(
                    model.getExperts().getBase(1), last.getDense().getUpProj().getArray());
            WeightAssignment.assign(
                    model.getExperts().getBase(2), last.getDense().getDownProj().getArray());
            NDArray plainAfterCopy =
                    model.expertFeatures(ps, residual, mask, expert, 1, false).get(0);
            assertArrayEquals(baseOnly.toFloatArray(), plainAfterCopy.toFloatArray(), 1e-5f);
            assertFalse(java.util.Arrays.equals(withLora.toFloatArray(), plain.toFloatArray()));
        }
    }

    @Test
    void outerRouterSendsEachInputToItsCategorysExpertsAndAggregator() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            DoubleLayerMoeRewardModel model =
                    TinyModels.build(m, new DoubleLayerMoeRewardModel(TinyModels.dmoerm()), 2);
            NDList in =
                    inputs(
                            m,
                            new String[][] {
                                {"The jury", "said ok."},
                                {"Once upon", "a time"},
                                {"x y", "z w q"}
                            });
            ParameterStore ps = new ParameterStore(m, false);
            for (int forced = 0; forced < 2; forced++) {
                // a router bias of +-50 overrides the weights: every input goes to category
                // `forced`
                WeightAssignment.assign(
                        model.routerParameters().get(1),
                        m.create(forced == 0 ? new float[] {50, -50} : new float[] {-50, 50}));
                NDList out = model.forward(ps, in, false);
                NDArray probs = out.get(RewardOutputs.CATEGORY_PROBABILITIES);
                assertArrayEquals(
                        new long[] {forced, forced, forced}, probs.argMax(1).toLongArray());
                assertArrayEquals(
                        new float[] {1, 1, 1}, probs.sum(new int[] {1}).toFloatArray(), 1e-5f);
                // expected: category `forced`'s three experts on the response positions, then its
                // MLP
                NDArray residual = model.getEncoder().beforeLastFfn(ps, in.get(0));
                NDArray f = model.expertFeatures(ps, residual, in.get(2), forced * 3, 3, false);
                NDArray expected = model.aggregate(ps, f.transpose(1, 0, 2), forced, false);
                assertArrayEquals(
                        expected.toFloatArray(),
                        out.get(RewardOutputs.SCORE).toFloatArray(),
                        1e-5f);
                assertArrayEquals(
                        model.valueHeads(ps, f, forced * 3, false).transpose().toFloatArray(),
                        out.get(RewardOutputs.OBJECTIVE_SCORES).toFloatArray(),
                        1e-5f);
            }
            // mixed routing in one batch keeps the batch order
            WeightAssignment.assign(model.routerParameters().get(1), m.zeros(new Shape(2)));
            NDArray w = m.zeros(new Shape(2, 8));
            WeightAssignment.assign(model.routerParameters().get(0), w);
            NDList out = model.forward(ps, in, false);
            float[] batched = out.get(RewardOutputs.SCORE).toFloatArray();
            for (int i = 0; i < 3; i++) {
                NDList one =
                        new NDList(
                                in.get(0).get(i + ":" + (i + 1)),
                                in.get(1).get(i + ":" + (i + 1)),
                                in.get(2).get(i + ":" + (i + 1)));
                assertEquals(
                        batched[i],
                        model.forward(ps, one, false).get(RewardOutputs.SCORE).getFloat(),
                        1e-5f);
            }
        }
    }

    @Test
    void aggregatorIsTwoLayerMlpWithPreluByHand() {
        try (NDManager m = NDManager.newBaseManager()) {
            DoubleLayerMoeRewardModel model =
                    TinyModels.build(m, new DoubleLayerMoeRewardModel(TinyModels.dmoerm()), 3);
            NDArray feats = m.randomNormal(new Shape(4, 3, 8));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray got = model.aggregate(ps, feats, 1, false);
            NDArray z = feats.reshape(4, 24);
            NDArray hidden =
                    z.matMul(value(model, "aggregator_w1").get(1).transpose())
                            .add(value(model, "aggregator_b1").get(1));
            float a = value(model, "aggregator_prelu").getFloat(1);
            float[] hv = hidden.toFloatArray();
            for (int i = 0; i < hv.length; i++) {
                hv[i] = hv[i] > 0 ? hv[i] : a * hv[i];
            }
            NDArray act = m.create(hv, hidden.getShape());
            NDArray expected =
                    act.matMul(value(model, "aggregator_w2").get(1).transpose())
                            .add(value(model, "aggregator_b2").get(1))
                            .reshape(4);
            assertArrayEquals(expected.toFloatArray(), got.toFloatArray(), 1e-5f);
        }
    }

    @Test
    void gatingWeightsAreNonNegativeSumToOneAndMatchEvalModeBatchNormByHand() {
        try (NDManager m = NDManager.newBaseManager()) {
            ArmoRewardModel model =
                    TinyModels.build(m, new ArmoRewardModel(TinyModels.armorm()), 4);
            GatingNetwork gating = model.getGating();
            Map<String, NDArray> p = new HashMap<>();
            for (Pair<String, Parameter> e : gating.getParameters()) {
                p.put(e.getKey(), e.getValue().getArray());
            }
            WeightAssignment.assign(
                    paramOf(gating, "layer0_bn_running_var"),
                    m.randomUniform(0.5f, 2f, new Shape(6)));
            WeightAssignment.assign(
                    paramOf(gating, "layer1_bn_running_var"),
                    m.randomUniform(0.5f, 2f, new Shape(6)));
            NDArray x = m.randomNormal(new Shape(5, 8));
            ParameterStore ps = new ParameterStore(m, false);
            NDArray g = gating.gates(ps, x, false);
            NDArray h = x;
            for (int l = 0; l < 2; l++) {
                h = h.matMul(p.get("layer" + l + "_weight").transpose()).maximum(0f);
                h =
                        h.sub(p.get("layer" + l + "_bn_running_mean"))
                                .div(p.get("layer" + l + "_bn_running_var").add(1e-5f).sqrt())
                                .mul(p.get("layer" + l + "_bn_gamma"))
                                .add(p.get("layer" + l + "_bn_beta"));
            }
            NDArray logits =
                    h.matMul(p.get("out_weight").transpose()).add(p.get("out_bias")).div(10f);
            NDArray expected = logits.exp().div(logits.exp().sum(new int[] {1}, true));
            assertArrayEquals(expected.toFloatArray(), g.toFloatArray(), 1e-5f);
            for (boolean training : new boolean[] {false, true}) {
                float[] gates =
                        gating.gates(
                                        ps,
                                        m.randomNormal(0f, 5f, new Shape(7, 8), DataType.FLOAT32),
                                        training)
                                .toFloatArray();
                for (int i = 0; i < 7; i++) {
                    float sum = 0;
                    for (int c = 0; c < 3; c++) {
                        assertTrue(gates[i * 3 + c] >= 0f);
                        sum += gates[i * 3 + c];
                    }
                    assertEquals(1f, sum, 1e-5f);
                }
            }
        }
    }

    private static Parameter paramOf(ai.djl.nn.Block block, String key) {
        for (Pair<String, Parameter> e : block.getParameters()) {
            if (e.getKey().equals(key)) {
                return e.getValue();
            }
        }
        throw new AssertionError(key);
    }

    @Test
    void trainingPassUpdatesRunningStatisticsLikePytorch() {
        try (NDManager m = NDManager.newBaseManager()) {
            ArmoRewardModel model =
                    TinyModels.build(m, new ArmoRewardModel(TinyModels.armorm()), 5);
            GatingNetwork gating = model.getGating();
            NDArray mean0 = paramOf(gating, "layer0_bn_running_mean").getArray().duplicate();
            NDArray var0 = paramOf(gating, "layer0_bn_running_var").getArray().duplicate();
            NDArray x = m.randomNormal(new Shape(9, 8));
            gating.gates(new ParameterStore(m, false), x, true);
            NDArray h =
                    x.matMul(paramOf(gating, "layer0_weight").getArray().transpose()).maximum(0f);
            NDArray mu = h.mean(new int[] {0});
            NDArray unbiased = h.sub(mu).square().sum(new int[] {0}).div(8f);
            assertArrayEquals(
                    mean0.mul(0.9f).add(mu.mul(0.1f)).toFloatArray(),
                    paramOf(gating, "layer0_bn_running_mean").getArray().toFloatArray(),
                    1e-5f);
            assertArrayEquals(
                    var0.mul(0.9f).add(unbiased.mul(0.1f)).toFloatArray(),
                    paramOf(gating, "layer0_bn_running_var").getArray().toFloatArray(),
                    1e-5f);
        }
    }

    @Test
    void armoScoreIsGateWeightedTransformedRegressionRewards() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            ArmoRewardModel model =
                    TinyModels.build(m, new ArmoRewardModel(TinyModels.armorm()), 6);
            NDArray t = m.create(new float[] {1, 0, 0, -0.5f, 1, 0, 0, 0.25f, 1}, new Shape(3, 3));
            WeightAssignment.assign(model.getTransform(), t);
            NDList in =
                    inputs(m, new String[][] {{"The jury", "said ok."}, {"Once upon", "a time"}});
            ParameterStore ps = new ParameterStore(m, false);
            NDList out = model.forward(ps, in, false);
            NDArray hidden = model.getEncoder().hidden(ps, in.get(0));
            NDArray z = MaskedMean.of(hidden, in.get(2));
            NDArray prompt = MaskedMean.of(hidden, in.get(1));
            NDArray r = z.matMul(model.getRegression().getArray().transpose()).matMul(t);
            NDArray g = model.getGating().gates(ps, prompt, false);
            assertArrayEquals(
                    r.toFloatArray(),
                    out.get(RewardOutputs.OBJECTIVE_SCORES).toFloatArray(),
                    1e-5f);
            assertArrayEquals(
                    g.toFloatArray(),
                    out.get(RewardOutputs.OBJECTIVE_WEIGHTS).toFloatArray(),
                    1e-6f);
            assertArrayEquals(
                    r.mul(g).sum(new int[] {1}).toFloatArray(),
                    out.get(RewardOutputs.SCORE).toFloatArray(),
                    1e-5f);
        }
    }

    @Test
    void pairwiseLossAndMaskedMeanByHand() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray loss =
                    PairwiseLoss.of(
                            m.create(new float[] {1f, 0f, 30f}),
                            m.create(new float[] {0f, 2f, -30f}));
            double expected =
                    (Math.log1p(Math.exp(-1)) + Math.log1p(Math.exp(2)) + Math.log1p(Math.exp(-60)))
                            / 3;
            assertEquals(expected, loss.getFloat(), 1e-6);
            NDArray h = m.create(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, new Shape(2, 2, 2));
            NDArray mask = m.create(new float[] {1, 0, 1, 1}, new Shape(2, 2));
            assertArrayEquals(
                    new float[] {1, 2, 6, 7}, MaskedMean.of(h, mask).toFloatArray(), 1e-6f);
        }
    }

    @Test
    void ridgeRegressionMatchesTheClosedForm() {
        // X = [[1, 0], [0, 2], [1, 1]], y = [1, 2, 0], alpha = 0.5
        float[] x = {1, 0, 0, 2, 1, 1};
        double[] w = RidgeRegression.fit(x, 2, new int[] {0, 1, 2}, new double[] {1, 2, 0}, 0.5);
        // X^T X + aI = [[2.5, 1], [1, 5.5]], X^T y = [1, 4]
        double det = 2.5 * 5.5 - 1;
        assertEquals((5.5 * 1 - 1 * 4) / det, w[0], 1e-12);
        assertEquals((-1 * 1 + 2.5 * 4) / det, w[1], 1e-12);
        assertThrows(
                IllegalArgumentException.class,
                () -> RidgeRegression.fit(x, 2, new int[] {0}, new double[] {1, 2}, 0.5));
    }

    @Test
    void frozenEncoderAndFrozenFfnCopiesDoNotChangeInATrainingStep() {
        try (NDManager m = NDManager.newBaseManager()) {
            DoubleLayerMoeRewardModel model =
                    TinyModels.build(m, new DoubleLayerMoeRewardModel(TinyModels.dmoerm()), 7);
            model.getEncoder().freezeParameters(true);
            Map<String, float[]> before = new HashMap<>();
            for (Pair<String, Parameter> p : model.getParameters()) {
                before.put(p.getKey(), p.getValue().getArray().toFloatArray());
            }
            NDArray residual = m.randomNormal(new Shape(4, 5, 8));
            NDArray mask = m.ones(new Shape(4, 5));
            Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build();
            int expert = 2;
            float loss =
                    OptimiserSteps.step(
                            m,
                            model.expertParameters(),
                            adam,
                            (scope, ps) -> {
                                NDArray r =
                                        model.valueHeads(
                                                        ps,
                                                        model.expertFeatures(
                                                                ps, residual, mask, expert, 1,
                                                                true),
                                                        expert,
                                                        true)
                                                .reshape(-1, 2);
                                return PairwiseLoss.of(r.get(":, 0"), r.get(":, 1"));
                            });
            assertTrue(Float.isFinite(loss));
            int changed = 0;
            for (Pair<String, Parameter> p : model.getParameters()) {
                String key = p.getKey();
                boolean same =
                        java.util.Arrays.equals(
                                before.get(key), p.getValue().getArray().toFloatArray());
                if (key.contains("encoder") || key.endsWith("_proj")) {
                    assertTrue(same, key + " is frozen but changed");
                    assertFalse(p.getValue().requiresGradient(), key + " requires a gradient");
                    assertFalse(
                            p.getValue().getArray().hasGradient()
                                    && p.getValue().getArray().getGradient().abs().sum().getFloat()
                                            > 0,
                            key + " has a gradient");
                } else if (!same) {
                    changed++;
                    if (key.contains("lora_") || key.contains("value_head")) {
                        // only expert 2's slice moves
                        float[] b = before.get(key);
                        float[] a = p.getValue().getArray().toFloatArray();
                        long per =
                                p.getValue().getArray().size()
                                        / p.getValue().getArray().getShape().get(0);
                        for (int i = 0; i < a.length; i++) {
                            if (i / per != expert) {
                                assertEquals(
                                        b[i],
                                        a[i],
                                        0f,
                                        key + "[" + i + "] of another expert moved");
                            }
                        }
                    }
                }
            }
            assertTrue(changed >= 4, "the LoRA factors and value head of the trained expert move");
            assertEquals(
                    before.get("04aggregator_w1") == null, before.get("05aggregator_w1") == null);
            assertNotEquals(0, changed);
        }
    }

    @Test
    void specRejectsMalformedJson() {
        RewardModelSpec spec = TinyModels.dmoerm();
        assertEquals(spec, RewardModelSpec.fromJson(spec.toJson()));
        assertThrows(
                IllegalArgumentException.class,
                () -> RewardModelSpec.fromJson("{\"architecture\":\"dmoerm\"}"));
        assertThrows(
                IllegalArgumentException.class,
                () -> RewardModelSpec.fromJson(spec.toJson().replace("dmoerm", "mystery")));
        assertThrows(IllegalArgumentException.class, () -> RewardModelSpec.fromJson("[1,2"));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        RewardModelSpec.fromJson(
                                spec.toJson().replace("\"hiddenSize\": 8", "\"hiddenSize\": 7")));
        assertThrows(
                IllegalArgumentException.class,
                () -> new DoubleLayerMoeRewardModel(TinyModels.armorm()));
    }

    @Test
    void denseModelParameterCountMatchesDmoermExpertsAndHeads() {
        RewardModelSpec d = RewardModelTraining.dmoermSpec();
        RewardModelSpec dense = RewardModelTraining.denseSpec();
        int h = d.encoder().hiddenSize();
        int i = d.encoder().intermediateSize();
        long perRank = 3L * (h + i);
        long dmoermLora =
                (long) d.categories().size() * d.objectives().size() * d.loraRank() * perRank;
        assertEquals(dmoermLora, dense.loraRank() * perRank);
        long dmoermHeads =
                (long) d.categories().size() * d.objectives().size() * (h + 1)
                        + (long) d.categories().size()
                                * ((long) d.headHidden() * (d.objectives().size() * h + 1)
                                        + 1
                                        + d.headHidden()
                                        + 1);
        long denseHead = (long) dense.headHidden() * (h + 2) + 2;
        assertTrue(Math.abs(dmoermHeads - denseHead) <= h + 2, dmoermHeads + " vs " + denseHead);
    }
}
