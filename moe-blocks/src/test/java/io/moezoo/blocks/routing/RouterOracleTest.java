package io.moezoo.blocks.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.moezoo.blocks.MoeTestSupport;
import io.moezoo.blocks.spec.RouterSpec;
import io.moezoo.blocks.spec.RouterType;
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
                Arguments.of("mixtral top-2", RouterSpec.mixtral(8, 2)),
                Arguments.of("qwen no renorm", RouterSpec.qwenMoe(8, 4, false)),
                Arguments.of("k = E", RouterSpec.mixtral(6, 6)),
                Arguments.of(
                        "scaled",
                        RouterSpec.builder(RouterType.SOFTMAX_TOP_K)
                                .setNumExperts(8)
                                .setTopK(3)
                                .optScalingFactor(2.5f)
                                .build()),
                Arguments.of(
                        "null experts",
                        RouterSpec.builder(RouterType.SOFTMAX_TOP_K)
                                .setNumExperts(6)
                                .setTopK(3)
                                .optNullExperts(3)
                                .optNormalizeTopK(true)
                                .build()),
                Arguments.of(
                        "jetmoe",
                        RouterSpec.builder(RouterType.TOP_K_SOFTMAX)
                                .setNumExperts(8)
                                .setTopK(2)
                                .build()),
                Arguments.of(
                        "switch cf",
                        RouterSpec.builder(RouterType.SWITCH)
                                .setNumExperts(4)
                                .setTopK(1)
                                .optCapacityFactor(1.0f)
                                .optGroupSize(12)
                                .build()),
                Arguments.of(
                        "switch abs",
                        RouterSpec.builder(RouterType.SWITCH)
                                .setNumExperts(4)
                                .setTopK(1)
                                .optCapacity(2)
                                .build()),
                Arguments.of(
                        "vmoe",
                        RouterSpec.builder(RouterType.CAPACITY_TOP_K)
                                .setNumExperts(8)
                                .setTopK(2)
                                .optCapacityFactor(0.5f)
                                .optCapacityMultiple(4)
                                .optGroupSize(24)
                                .build()),
                Arguments.of(
                        "vmoe bpr",
                        RouterSpec.builder(RouterType.CAPACITY_TOP_K)
                                .setNumExperts(8)
                                .setTopK(2)
                                .optCapacityFactor(0.5f)
                                .optBatchPrioritized(true)
                                .optGroupSize(24)
                                .build()),
                Arguments.of(
                        "expert choice",
                        RouterSpec.builder(RouterType.EXPERT_CHOICE)
                                .setNumExperts(8)
                                .setTopK(2)
                                .optCapacityFactor(1.0f)
                                .optGroupSize(16)
                                .build()),
                Arguments.of(
                        "top-p",
                        RouterSpec.builder(RouterType.TOP_P)
                                .setNumExperts(8)
                                .setTopK(1)
                                .optTopP(0.6f, 1, 5)
                                .build()),
                Arguments.of(
                        "top-p renorm",
                        RouterSpec.builder(RouterType.TOP_P)
                                .setNumExperts(8)
                                .setTopK(1)
                                .optTopP(0.8f, 2, 4)
                                .optNormalizeTopK(true)
                                .build()),
                Arguments.of("deepseek-v2", RouterSpec.deepSeekV2(16, 4, 4, 2, false, 16f)),
                Arguments.of("deepseek-v3", RouterSpec.deepSeekV3(16, 4, 4, 2, 2.5f)),
                Arguments.of(
                        "noisy top-k eval",
                        RouterSpec.builder(RouterType.NOISY_TOP_K)
                                .setNumExperts(8)
                                .setTopK(2)
                                .build()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void matchesBruteForce(String name, RouterSpec spec) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Router router = MoeTestSupport.init(Router.create(spec), manager, -1, H);
            ParameterStore ps = MoeTestSupport.store(manager);
            // Scale inputs so that routers see confident and unconfident tokens alike.
            NDArray x = MoeTestSupport.gaussian(manager, 42, T, H).mul(1.5f);
            float[] bias = null;
            if (spec.hasCorrectionBias()) {
                NDArray b = MoeTestSupport.gaussian(manager, 5, spec.getNumExperts()).mul(0.3f);
                WeightAssignment.assign(((GroupLimitedRouter) router).getCorrectionBias(), b);
                bias = b.toFloatArray();
            }
            RoutingDecision d = router.route(ps, x, T, false);
            float[] w = router.getDirectParameters().get("weight").getArray().toFloatArray();
            int group = spec.getGroupSize() > 0 ? spec.getGroupSize() : T;
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
