package io.moezoo.blocks.surgery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.moezoo.blocks.MoeTestSupport;
import io.moezoo.blocks.experts.SwiGluFeedForward;
import io.moezoo.blocks.layer.MoeLayer;
import io.moezoo.blocks.spec.ExpertSpec;
import io.moezoo.blocks.spec.LoraExpertSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.RouterPresets;
import io.moezoo.blocks.spec.RouterSpec;
import io.moezoo.blocks.spec.SharedExpertSpec;
import io.moezoo.blocks.spec.SoftmaxTopKSpec;
import io.moezoo.blocks.spec.SwiGluExpertSpec;
import io.moezoo.blocks.spec.TopKSoftmaxSpec;
import org.junit.jupiter.api.Test;

/** Upcycling and splitting preserve the function they promise to preserve. */
class SurgeryTest {

    private static final int H = 10;
    private static final int I = 12;

    private static NDArray run(ai.djl.nn.Block block, NDManager manager, NDArray x) {
        return block.forward(new ParameterStore(manager, false), new NDList(x), false).head();
    }

    @Test
    void sparseUpcyclingEqualsTheDenseFfnForAnyNormalisedRouter() {
        try (NDManager manager = NDManager.newBaseManager()) {
            SwiGluFeedForward dense =
                    MoeTestSupport.init(new SwiGluFeedForward(H, I, false), manager, -1, H);
            NDArray x = MoeTestSupport.gaussian(manager, 1, 30, H);
            NDArray expected = run(dense, manager, x);
            RouterSpec[] routers = {
                RouterPresets.mixtral(8, 2),
                TopKSoftmaxSpec.of(8, 3),
                SoftmaxTopKSpec.of(8, 1).withNormalizeTopK(true)
            };
            for (RouterSpec router : routers) {
                MoeLayer moe =
                        SparseUpcycling.upcycle(
                                dense,
                                MoeLayerSpec.of(router, new SwiGluExpertSpec(8, H, I)),
                                manager);
                MoeTestSupport.assertClose(expected, run(moe, manager, x), 1e-5);
            }
            // LoRA experts with zero-initialised B reproduce the frozen FFN exactly.
            ExpertSpec lora = new LoraExpertSpec(4, H, I, 3, 6);
            MoeLayer loraMoe =
                    SparseUpcycling.upcycle(
                            dense, MoeLayerSpec.of(RouterPresets.mixtral(4, 2), lora), manager);
            MoeTestSupport.assertClose(expected, run(loraMoe, manager, x), 1e-5);
            assertFalse(
                    loraMoe.getExperts().getDirectParameters().get("gate_proj").requiresGradient(),
                    "the base FFN is frozen");
            // Without renormalisation the output is (sum of weights) times the dense output.
            MoeLayer qwen =
                    SparseUpcycling.upcycle(
                            dense,
                            MoeLayerSpec.of(
                                    RouterPresets.qwenMoe(8, 2, false),
                                    new SwiGluExpertSpec(8, H, I)),
                            manager);
            NDArray sum =
                    qwen.getRouter()
                            .route(new ParameterStore(manager, false), x, 30, false)
                            .getWeights()
                            .sum(new int[] {1}, true);
            MoeTestSupport.assertClose(expected.mul(sum), run(qwen, manager, x), 1e-5);
            assertThrows(
                    IllegalArgumentException.class,
                    () ->
                            SparseUpcycling.upcycle(
                                    dense,
                                    MoeLayerSpec.of(
                                            RouterPresets.mixtral(8, 2),
                                            new SwiGluExpertSpec(8, H, I + 1)),
                                    manager));
        }
    }

    @Test
    void expertUpcyclingPreservesATopOneLayer() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeLayerSpec spec =
                    MoeLayerSpec.of(
                                    SoftmaxTopKSpec.of(4, 1).withNormalizeTopK(true),
                                    new SwiGluExpertSpec(4, H, I))
                            .withSharedExpert(new SharedExpertSpec(5, true));
            MoeLayer layer = MoeTestSupport.init(new MoeLayer(spec), manager, -1, H);
            NDArray x = MoeTestSupport.gaussian(manager, 2, 25, H);
            MoeLayer bigger = ExpertUpcycling.expand(layer, 3, manager);
            assertEquals(12, bigger.getSpec().experts().numExperts());
            assertEquals(1, bigger.getSpec().router().topK());
            MoeTestSupport.assertClose(run(layer, manager, x), run(bigger, manager, x), 1e-5);
            // Each chosen expert in the big layer is a copy of the small layer's choice.
            int[] small =
                    layer.getRouter()
                            .route(new ParameterStore(manager, false), x, 25, false)
                            .getExperts();
            int[] big =
                    bigger.getRouter()
                            .route(new ParameterStore(manager, false), x, 25, false)
                            .getExperts();
            for (int t = 0; t < 25; t++) {
                assertEquals(small[t], big[t] / 3);
            }
        }
    }

    @Test
    void fineGrainedSplitPreservesTheFunction() {
        try (NDManager manager = NDManager.newBaseManager()) {
            for (RouterSpec router :
                    new RouterSpec[] {
                        RouterPresets.mixtral(4, 2), RouterPresets.qwenMoe(4, 2, false)
                    }) {
                MoeLayer layer =
                        MoeTestSupport.init(
                                new MoeLayer(
                                        MoeLayerSpec.of(router, new SwiGluExpertSpec(4, H, I))),
                                manager,
                                -1,
                                H);
                NDArray x = MoeTestSupport.gaussian(manager, 3, 20, H);
                MoeLayer fine = FineGrainedSplit.split(layer, 3, manager);
                assertEquals(12, fine.getSpec().experts().numExperts());
                assertEquals(I / 3, fine.getSpec().experts().intermediateSize());
                assertEquals(6, fine.getSpec().router().topK());
                MoeTestSupport.assertClose(run(layer, manager, x), run(fine, manager, x), 1e-5);
            }
        }
    }
}
