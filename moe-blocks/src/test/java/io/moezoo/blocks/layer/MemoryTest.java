package io.moezoo.blocks.layer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.moezoo.blocks.MoeTestSupport;
import io.moezoo.blocks.dispatch.DispatcherKinds;
import io.moezoo.blocks.loss.LoadBalancingLoss;
import io.moezoo.blocks.spec.CapacityTopKSpec;
import io.moezoo.blocks.spec.ExpertSpec;
import io.moezoo.blocks.spec.LoraExpertSpec;
import io.moezoo.blocks.spec.MlpExpertSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.NoisyTopKSpec;
import io.moezoo.blocks.spec.RouterPresets;
import io.moezoo.blocks.spec.SharedExpertSpec;
import io.moezoo.blocks.spec.SwiGluExpertSpec;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Long training loops leave nothing behind in the model's manager. */
class MemoryTest {

    private static int resources(NDManager manager) {
        // BaseNDManager.toString() reports "Resource size: N"; DJL has no public counter.
        Matcher m = Pattern.compile("Resource size: (\\d+)").matcher(manager.toString());
        if (!m.find()) {
            throw new AssertionError("cannot read the resource count of " + manager);
        }
        return Integer.parseInt(m.group(1));
    }

    @Test
    void trainingStepsDoNotGrowTheModelManager() {
        ExpertSpec mlp = MlpExpertSpec.of(4, 8, 6);
        ExpertSpec lora = LoraExpertSpec.of(4, 8, 6);
        MoeStack stack =
                MoeStack.builder()
                        .addLayer(
                                MoeLayerSpec.of(
                                                RouterPresets.deepSeekV3(4, 2, 2, 1, 2.5f),
                                                new SwiGluExpertSpec(4, 8, 6))
                                        .withSharedExpert(new SharedExpertSpec(5, true)))
                        .addLayer(
                                MoeLayerSpec.of(CapacityTopKSpec.of(4, 2, 1f).withNoiseStd(1f), mlp)
                                        .withDispatch(DispatcherKinds.PADDED))
                        .addLayer(MoeLayerSpec.of(new NoisyTopKSpec(4, 2), lora))
                        .addAuxLoss(new LoadBalancingLoss(), 0.01f)
                        .build();
        try (NDManager model = NDManager.newBaseManager()) {
            MoeTestSupport.init(stack, model, 6, 8);
            int before = -1;
            for (int step = 0; step < 60; step++) {
                try (NDManager scope = model.newSubManager()) {
                    NDArray x = MoeTestSupport.gaussian(scope, step, 6, 8);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDList out =
                                stack.forward(
                                        new ParameterStore(scope, false), new NDList(x), true);
                        gc.backward(out.head().sum().add(out.get(1)));
                    }
                }
                if (step == 9) {
                    before = resources(model);
                }
            }
            assertEquals(
                    before,
                    resources(model),
                    "arrays left in the model's manager after 50 more steps");
        }
    }
}
