package io.moezoo.blocks.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.moezoo.blocks.MoeTestSupport;
import io.moezoo.blocks.spec.CapacityTopKSpec;
import io.moezoo.blocks.spec.ExpertChoiceSpec;
import io.moezoo.blocks.spec.GroupLimitedSpec;
import io.moezoo.blocks.spec.NoisyTopKSpec;
import io.moezoo.blocks.spec.RouterPresets;
import io.moezoo.blocks.spec.RouterSpec;
import io.moezoo.blocks.spec.SoftmaxTopKSpec;
import io.moezoo.blocks.spec.SwitchSpec;
import io.moezoo.blocks.spec.TopKSoftmaxSpec;
import io.moezoo.blocks.spec.TopPSpec;
import io.moezoo.blocks.surgery.WeightAssignment;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every router against the brute-force oracle on random inputs, within 1e-5 in float32. */
class RouterOracleTest {

    private static final int T = 48;
    private static final int H = 16;

    static Stream<Arguments> specs() {
        return Stream.of(
                Arguments.of("mixtral top-2", RouterPresets.mixtral(8, 2)),
                Arguments.of("qwen no renorm", RouterPresets.qwenMoe(8, 4, false)),
                Arguments.of("k = E", RouterPresets.mixtral(6, 6)),
                Arguments.of("scaled", SoftmaxTopKSpec.of(8, 3).withScalingFactor(2.5f)),
                Arguments.of(
                        "null experts",
                        SoftmaxTopKSpec.of(6, 3).withNullExperts(3).withNormalizeTopK(true)),
                Arguments.of("jetmoe", TopKSoftmaxSpec.of(8, 2)),
                Arguments.of("switch cf", SwitchSpec.of(4, 1.0f).withGroupSize(12)),
                Arguments.of("switch abs", SwitchSpec.of(4, 1f).withCapacity(2)),
                Arguments.of(
                        "vmoe",
                        CapacityTopKSpec.of(8, 2, 0.5f).withCapacityMultiple(4).withGroupSize(24)),
                Arguments.of(
                        "vmoe bpr",
                        CapacityTopKSpec.of(8, 2, 0.5f)
                                .withBatchPrioritized(true)
                                .withGroupSize(24)),
                Arguments.of("expert choice", ExpertChoiceSpec.of(8, 2, 1.0f).withGroupSize(16)),
                Arguments.of("top-p", TopPSpec.of(8, 0.6f, 1, 5)),
                Arguments.of("top-p renorm", TopPSpec.of(8, 0.8f, 2, 4).withNormalizeTopK(true)),
                Arguments.of("deepseek-v2", RouterPresets.deepSeekV2(16, 4, 4, 2, false, 16f)),
                Arguments.of("deepseek-v3", RouterPresets.deepSeekV3(16, 4, 4, 2, 2.5f)),
                Arguments.of("noisy top-k eval", new NoisyTopKSpec(8, 2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void matchesBruteForce(String name, RouterSpec spec) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Router router = MoeTestSupport.init(RouterKinds.create(spec), manager, -1, H);
            ParameterStore ps = MoeTestSupport.store(manager);
            // Scale inputs so that routers see confident and unconfident tokens alike.
            NDArray x = MoeTestSupport.gaussian(manager, 42, T, H).mul(1.5f);
            float[] bias = null;
            if (spec instanceof GroupLimitedSpec g && g.correctionBias()) {
                NDArray b = MoeTestSupport.gaussian(manager, 5, spec.numExperts()).mul(0.3f);
                WeightAssignment.assign(((GroupLimitedRouter) router).getCorrectionBias(), b);
                bias = b.toFloatArray();
            }
            RoutingDecision d = router.route(ps, x, T, false);
            float[] w = router.getDirectParameters().get("weight").getArray().toFloatArray();
            int group = spec.groupSize() > 0 ? spec.groupSize() : T;
            List<Map<Integer, Double>> expected =
                    BruteForceRouter.route(spec, x.toFloatArray(), w, bias, T, H, group);
            float[] weights = d.getWeights().toFloatArray();
            int s = d.getNumSlots();
            for (int t = 0; t < T; t++) {
                Map<Integer, Double> actual = new HashMap<>();
                for (int j = 0; j < s; j++) {
                    int e = d.getExperts()[t * s + j];
                    if (e >= 0) {
                        actual.put(e, (double) weights[t * s + j]);
                    }
                }
                assertEquals(
                        expected.get(t).keySet(),
                        actual.keySet(),
                        name + ": experts of token " + t);
                for (Map.Entry<Integer, Double> entry : expected.get(t).entrySet()) {
                    double got = actual.get(entry.getKey());
                    assertTrue(
                            Math.abs(got - entry.getValue())
                                    <= 1e-5 * Math.max(1, Math.abs(entry.getValue())),
                            name
                                    + ": token "
                                    + t
                                    + " expert "
                                    + entry.getKey()
                                    + " expected "
                                    + entry.getValue()
                                    + " got "
                                    + got);
                }
            }
        }
    }
}
