package io.moezoo.blocks.dispatch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.moezoo.blocks.MoeTestSupport;
import io.moezoo.blocks.experts.SwiGluFeedForward;
import io.moezoo.blocks.layer.MoeLayer;
import io.moezoo.blocks.routing.Router;
import io.moezoo.blocks.routing.RouterKinds;
import io.moezoo.blocks.routing.RoutingDecision;
import io.moezoo.blocks.spec.CapacityTopKSpec;
import io.moezoo.blocks.spec.ClampedSwiGluExpertSpec;
import io.moezoo.blocks.spec.ExpertActivation;
import io.moezoo.blocks.spec.ExpertChoiceSpec;
import io.moezoo.blocks.spec.ExpertSpec;
import io.moezoo.blocks.spec.LoraExpertSpec;
import io.moezoo.blocks.spec.MlpExpertSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.RouterPresets;
import io.moezoo.blocks.spec.RouterSpec;
import io.moezoo.blocks.spec.SharedExpertSpec;
import io.moezoo.blocks.spec.SoftmaxTopKSpec;
import io.moezoo.blocks.spec.SwiGluExpertSpec;
import io.moezoo.blocks.spec.SwitchSpec;
import io.moezoo.blocks.spec.TopKSoftmaxSpec;
import io.moezoo.blocks.spec.TopPSpec;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Sorted and padded dispatch against the dense "run every expert and mask" oracle. */
class DispatchTest {

    private static final int H = 12;

    static Stream<Arguments> layers() {
        ExpertSpec swiglu = new SwiGluExpertSpec(8, H, 10);
        ExpertSpec gelu = MlpExpertSpec.of(8, H, 10);
        ExpertSpec relu =
                MlpExpertSpec.of(8, H, 10).withActivation(ExpertActivation.RELU).withBias(false);
        ExpertSpec lora = new LoraExpertSpec(8, H, 10, 2, 4);
        return Stream.of(
                Arguments.of(
                        "mixtral swiglu", MoeLayerSpec.of(RouterPresets.mixtral(8, 2), swiglu)),
                Arguments.of(
                        "qwen + gated shared",
                        MoeLayerSpec.of(RouterPresets.qwenMoe(8, 3, false), swiglu)
                                .withSharedExpert(new SharedExpertSpec(16, true))),
                Arguments.of("switch relu drops", MoeLayerSpec.of(SwitchSpec.of(8, 0.5f), relu)),
                Arguments.of(
                        "vmoe gelu",
                        MoeLayerSpec.of(
                                CapacityTopKSpec.of(8, 2, 0.6f).withBatchPrioritized(true), gelu)),
                Arguments.of(
                        "expert choice", MoeLayerSpec.of(ExpertChoiceSpec.of(8, 2, 1f), swiglu)),
                Arguments.of("top-p", MoeLayerSpec.of(TopPSpec.of(8, 0.5f, 1, 4), swiglu)),
                Arguments.of(
                        "null experts",
                        MoeLayerSpec.of(SoftmaxTopKSpec.of(8, 3).withNullExperts(4), swiglu)),
                Arguments.of(
                        "deepseek-v3 + shared",
                        MoeLayerSpec.of(RouterPresets.deepSeekV3(8, 3, 4, 2, 2.5f), swiglu)
                                .withSharedExpert(new SharedExpertSpec(20, false))),
                Arguments.of("lora experts", MoeLayerSpec.of(RouterPresets.mixtral(8, 2), lora)),
                Arguments.of(
                        "gpt-oss clamped swiglu, biased router",
                        MoeLayerSpec.of(
                                TopKSoftmaxSpec.of(8, 4).withBias(true),
                                new ClampedSwiGluExpertSpec(8, H, 10, 1.5f, 1.702f))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void sortedAndPaddedMatchDenseOracle(String name, MoeLayerSpec spec) {
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterStore ps = MoeTestSupport.store(manager);
            MoeLayer sorted = MoeTestSupport.init(new MoeLayer(spec), manager, 4, 10, H);
            NDArray x = MoeTestSupport.gaussian(manager, 9, 4, 10, H);
            if (spec.experts() instanceof ClampedSwiGluExpertSpec) {
                // Non-zero biases (zero-initialised) in the experts and the router.
                long seed = 20;
                for (var p : sorted.getExperts().getDirectParameters().values()) {
                    if (p.getName().endsWith("_bias")) {
                        io.moezoo.blocks.surgery.WeightAssignment.assign(
                                p,
                                MoeTestSupport.gaussian(
                                        manager, seed++, p.getArray().getShape().getShape()));
                    }
                }
                io.moezoo.blocks.surgery.WeightAssignment.assign(
                        sorted.getRouter().getDirectParameters().get("bias"),
                        MoeTestSupport.gaussian(manager, seed, 8));
            }
            if (spec.experts() instanceof LoraExpertSpec) {
                // Non-zero adapters so that experts differ.
                for (var p : sorted.getExperts().getDirectParameters().values()) {
                    if (p.getName().startsWith("lora_b")) {
                        io.moezoo.blocks.surgery.WeightAssignment.assign(
                                p,
                                MoeTestSupport.gaussian(
                                                manager, 3, p.getArray().getShape().getShape())
                                        .mul(0.3f));
                    }
                }
            }
            NDArray ySorted = sorted.forward(ps, new ai.djl.ndarray.NDList(x), false).head();
            RoutingDecision d = sorted.getRouter().route(ps, x.reshape(40, H), 10, false);
            NDArray expected =
                    MoeTestSupport.denseMasked(ps, x.reshape(40, H), d, sorted.getExperts());
            if (sorted.getSharedExpert() != null) {
                expected =
                        expected.add(sorted.getSharedExpert().apply(ps, x.reshape(40, H), false));
            }
            MoeTestSupport.assertClose(expected.reshape(4, 10, H), ySorted, 1e-5);
            NDArray yPadded =
                    new PaddedDispatcher()
                            .dispatch(ps, x.reshape(40, H), d, sorted.getExperts(), false);
            NDArray routedOnly =
                    MoeTestSupport.denseMasked(ps, x.reshape(40, H), d, sorted.getExperts());
            MoeTestSupport.assertClose(routedOnly, yPadded, 1e-5);
        }
    }

    @Test
    void kEqualsEReducesToDenseSoftmaxMixture() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterStore ps = MoeTestSupport.store(manager);
            MoeLayer layer =
                    MoeTestSupport.init(
                            new MoeLayer(
                                    MoeLayerSpec.of(
                                            RouterPresets.mixtral(4, 4),
                                            new SwiGluExpertSpec(4, H, 6))),
                            manager,
                            -1,
                            H);
            NDArray x = MoeTestSupport.gaussian(manager, 1, 7, H);
            NDArray w = layer.getRouter().getDirectParameters().get("weight").getArray();
            NDArray p = x.matMul(w.transpose()).softmax(-1); // [T, E]
            NDArray all =
                    layer.getExperts()
                            .forwardPadded(ps, x.expandDims(0).repeat(0, 4), false); // [E,T,H]
            NDArray expected = all.mul(p.transpose().expandDims(2)).sum(new int[] {0});
            MoeTestSupport.assertClose(
                    expected, layer.forward(ps, new ai.djl.ndarray.NDList(x), false).head(), 1e-5);
        }
    }

    @Test
    void nullExpertsRunNoMatmulAndContributeNothing() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterStore ps = MoeTestSupport.store(manager);
            RouterSpec spec = SoftmaxTopKSpec.of(4, 2).withNullExperts(4);
            Router router = MoeTestSupport.init(RouterKinds.create(spec), manager, -1, 6);
            NDArray x = MoeTestSupport.gaussian(manager, 2, 64, 6).mul(3);
            RoutingDecision d = router.route(ps, x, 64, false);
            int real = 0;
            int nulls = 0;
            for (int c : d.getChoices()) {
                if (c < 4) {
                    real++;
                } else {
                    nulls++;
                }
            }
            assertTrue(nulls > 0 && real > 0, "the random router should pick both kinds");
            CountingExperts experts = CountingExperts.create(manager, 4, 6);
            NDArray y = new SortedDispatcher().dispatch(ps, x, d, experts, false);
            assertEquals(real, experts.rows, "rows processed = real-expert choices only");
            NDArray oracle = MoeTestSupport.denseMasked(ps, x, d, experts);
            MoeTestSupport.assertClose(oracle, y, 1e-5);
            float[] out = y.toFloatArray();
            int[] ex = d.getExperts();
            for (int t = 0; t < 64; t++) {
                if (ex[2 * t] < 0 && ex[2 * t + 1] < 0) {
                    for (int h = 0; h < 6; h++) {
                        assertEquals(0f, out[t * 6 + h], "token " + t + " chose only null experts");
                    }
                }
            }
        }
    }

    @Test
    void droplessOutputOfATokenDoesNotDependOnTheBatch() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterStore ps = MoeTestSupport.store(manager);
            MoeLayer layer =
                    MoeTestSupport.init(
                            new MoeLayer(
                                    MoeLayerSpec.of(
                                            RouterPresets.mixtral(8, 2),
                                            new SwiGluExpertSpec(8, H, 10))),
                            manager,
                            -1,
                            H);
            NDArray x = MoeTestSupport.gaussian(manager, 4, 32, H);
            NDArray batch = layer.forward(ps, new ai.djl.ndarray.NDList(x), false).head();
            for (int t = 0; t < 32; t += 5) {
                NDArray alone =
                        layer.forward(
                                        ps,
                                        new ai.djl.ndarray.NDList(x.get(t + ":" + (t + 1))),
                                        false)
                                .head();
                MoeTestSupport.assertClose(alone, batch.get(t + ":" + (t + 1)), 1e-6);
            }
            // And with another batch around it.
            NDArray other = MoeTestSupport.gaussian(manager, 99, 32, H);
            NDArray mixed =
                    ai.djl.ndarray.NDArrays.concat(
                            new ai.djl.ndarray.NDList(
                                    other.get(":16"), x.get("3:4"), other.get("16:")));
            NDArray y = layer.forward(ps, new ai.djl.ndarray.NDList(mixed), false).head();
            MoeTestSupport.assertClose(batch.get("3:4"), y.get("16:17"), 1e-6);
        }
    }

    @Test
    void planGroupsByExpertStablyAndBuildsCombineIndex() {
        // T=3, S=2: token0 -> (2, 0), token1 -> (0, -1), token2 -> (2, 1)
        DispatchPlan plan = DispatchPlan.of(new int[] {2, 0, 0, -1, 2, 1}, 3, 2, 3);
        assertArrayEquals(new int[] {2, 1, 2}, plan.counts());
        assertArrayEquals(new long[] {1, 2, 5, 0, 4}, plan.sortedSlots());
        assertArrayEquals(new long[] {0, 1, 2, 0, 2}, plan.sortedTokens());
        assertArrayEquals(new int[] {0, 1, 0, 0, 1}, plan.rankInExpert());
        assertEquals(2, plan.rounds());
        // token0: slot0 at 3, slot1 at 0; token1: slot0 at 1, then the zero row 5; token2: 4, 2
        assertArrayEquals(new long[] {3, 0, 1, 5, 4, 2}, plan.combineIndex());
        assertEquals(false, plan.isComplete());
    }

    @Test
    void sharedExpertIsRoutedPlusSigmoidGatedFfn() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterStore ps = MoeTestSupport.store(manager);
            MoeLayer layer =
                    MoeTestSupport.init(
                            new MoeLayer(
                                    MoeLayerSpec.of(
                                                    RouterPresets.qwenMoe(4, 2, false),
                                                    new SwiGluExpertSpec(4, H, 6))
                                            .withSharedExpert(new SharedExpertSpec(9, true))),
                            manager,
                            -1,
                            H);
            NDArray x = MoeTestSupport.gaussian(manager, 8, 5, H);
            SwiGluFeedForward shared = layer.getSharedExpert();
            NDArray g = shared.getGateProj().getArray();
            NDArray u = shared.getUpProj().getArray();
            NDArray dn = shared.getDownProj().getArray();
            NDArray gate = shared.getOutputGate().getArray();
            NDArray a = x.matMul(g.transpose());
            NDArray ffn =
                    a.mul(a.neg().exp().add(1).pow(-1))
                            .mul(x.matMul(u.transpose()))
                            .matMul(dn.transpose());
            NDArray scale = x.matMul(gate.transpose()).neg().exp().add(1).pow(-1);
            RoutingDecision d = layer.getRouter().route(ps, x, 5, false);
            NDArray expected =
                    MoeTestSupport.denseMasked(ps, x, d, layer.getExperts()).add(ffn.mul(scale));
            MoeTestSupport.assertClose(
                    expected, layer.forward(ps, new ai.djl.ndarray.NDList(x), false).head(), 1e-5);
            assertEquals(new Shape(5, H), expected.getShape());
        }
    }
}
