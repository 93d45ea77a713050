package io.moezoo.blocks.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import io.moezoo.blocks.MoeTestSupport;
import io.moezoo.blocks.dispatch.DispatcherKinds;
import io.moezoo.blocks.loss.LoadBalancingLoss;
import io.moezoo.blocks.routing.GroupLimitedRouter;
import io.moezoo.blocks.spec.CapacityTopKSpec;
import io.moezoo.blocks.spec.ExpertSpec;
import io.moezoo.blocks.spec.LoraExpertSpec;
import io.moezoo.blocks.spec.MlpExpertSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.NoisyTopKSpec;
import io.moezoo.blocks.spec.RouterPresets;
import io.moezoo.blocks.spec.RouterSpec;
import io.moezoo.blocks.spec.SharedExpertSpec;
import io.moezoo.blocks.spec.SwiGluExpertSpec;
import io.moezoo.blocks.spec.SwitchSpec;
import io.moezoo.blocks.spec.TopPSpec;
import io.moezoo.blocks.surgery.WeightAssignment;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** Save/load round trips, bad inputs and configurations. */
class MoeLayerTest {

    private static byte[] save(ai.djl.nn.Block block) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        block.saveParameters(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    @Test
    void saveLoadReproducesOutputsExactly() throws IOException, MalformedModelException {
        MoeLayerSpec spec =
                MoeLayerSpec.of(
                                RouterPresets.deepSeekV3(8, 2, 4, 2, 2.5f),
                                new SwiGluExpertSpec(8, 6, 5))
                        .withSharedExpert(new SharedExpertSpec(7, false));
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterStore ps = MoeTestSupport.store(manager);
            MoeLayer original = MoeTestSupport.init(new MoeLayer(spec), manager, -1, 6);
            WeightAssignment.assign(
                    ((GroupLimitedRouter) original.getRouter()).getCorrectionBias(),
                    MoeTestSupport.gaussian(manager, 3, 8));
            NDArray x = MoeTestSupport.gaussian(manager, 4, 2, 9, 6);
            float[] expected = original.forward(ps, new NDList(x), false).head().toFloatArray();
            byte[] bytes = save(original);
            MoeLayer copy = new MoeLayer(spec);
            copy.loadParameters(manager, new DataInputStream(new ByteArrayInputStream(bytes)));
            assertArrayEquals(
                    expected, copy.forward(ps, new NDList(x), false).head().toFloatArray());
            // A layer of another shape refuses the file with a typed error.
            MoeLayer other =
                    new MoeLayer(
                            MoeLayerSpec.of(
                                    RouterPresets.mixtral(8, 2), new SwiGluExpertSpec(8, 6, 5)));
            MalformedModelException e =
                    assertThrows(
                            MalformedModelException.class,
                            () ->
                                    other.loadParameters(
                                            manager,
                                            new DataInputStream(new ByteArrayInputStream(bytes))));
            assertTrue(e.getMessage().contains("does not match"), e.getMessage());
        }
    }

    @Test
    void modelSaveLoadOfAStackWithEveryExpertForm() throws IOException, MalformedModelException {
        Path dir = Paths.get("target", "test-models", "stack");
        Files.createDirectories(dir);
        ExpertSpec lora = LoraExpertSpec.of(4, 8, 6);
        ExpertSpec mlp = MlpExpertSpec.of(4, 8, 6);
        java.util.function.Supplier<MoeStack> build =
                () ->
                        MoeStack.builder()
                                .optInput(Linear.builder().setUnits(8).build())
                                .addLayer(
                                        MoeLayerSpec.of(
                                                RouterPresets.mixtral(4, 2),
                                                new SwiGluExpertSpec(4, 8, 6)))
                                .addLayer(
                                        MoeLayerSpec.of(SwitchSpec.of(4, 1.5f), mlp)
                                                .withDispatch(DispatcherKinds.PADDED))
                                .addLayer(MoeLayerSpec.of(new NoisyTopKSpec(4, 2), lora))
                                .optOutput(Linear.builder().setUnits(3).build())
                                .addAuxLoss(new LoadBalancingLoss(), 0.01f)
                                .build();
        NDArray x;
        float[] expected;
        try (Model model = Model.newInstance("stack")) {
            model.setBlock(build.get());
            model.getBlock()
                    .initialize(
                            model.getNDManager(),
                            ai.djl.ndarray.types.DataType.FLOAT32,
                            new Shape(5, 10));
            x = MoeTestSupport.gaussian(model.getNDManager(), 1, 5, 10);
            expected =
                    model.getBlock()
                            .forward(
                                    new ParameterStore(model.getNDManager(), false),
                                    new NDList(x),
                                    false)
                            .head()
                            .toFloatArray();
            model.save(dir, "stack");
        }
        try (Model model = Model.newInstance("stack");
                NDManager manager = NDManager.newBaseManager()) {
            model.setBlock(build.get());
            model.load(dir, "stack");
            NDArray input = MoeTestSupport.gaussian(manager, 1, 5, 10);
            NDList out =
                    model.getBlock()
                            .forward(new ParameterStore(manager, false), new NDList(input), false);
            assertArrayEquals(expected, out.head().toFloatArray());
            assertTrue(out.size() == 1, "inference returns no aux output");
        }
    }

    @Test
    void badConfigurationsFailFastWithTheirName() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> RouterPresets.mixtral(4, 5));
        assertTrue(e.getMessage().contains("topK (k=5) exceeds"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SwitchSpec.of(4, 0f));
        assertTrue(e.getMessage().contains("capacityFactor (> 0)"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> CapacityTopKSpec.of(4, 2, 1f).withCapacity(-3));
        assertTrue(e.getMessage().contains("capacity (> 0)"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                RouterSpec.fromJson(
                                        "{\"type\": \"switch\", \"numExperts\": 4, \"topK\": 2}"));
        assertTrue(e.getMessage().contains("unknown field \"topK\""), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> RouterPresets.deepSeekV3(10, 2, 4, 2, 1f));
        assertTrue(e.getMessage().contains("numGroups"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                MoeLayerSpec.of(
                                        RouterPresets.mixtral(4, 2),
                                        new SwiGluExpertSpec(8, 4, 4)));
        assertTrue(e.getMessage().contains("router has 4 experts"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SwiGluExpertSpec(4, 0, 4));
        assertTrue(e.getMessage().contains("hiddenSize"), e.getMessage());
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> RouterSpec.fromJson("{\"type\": \"SWITCH\", "));
        assertTrue(e.getMessage().contains("Malformed"), e.getMessage());
    }

    @Test
    void badInputsFailWithAClearError() {
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterStore ps = MoeTestSupport.store(manager);
            MoeLayer layer =
                    MoeTestSupport.init(
                            new MoeLayer(
                                    MoeLayerSpec.of(
                                            RouterPresets.mixtral(4, 2),
                                            new SwiGluExpertSpec(4, 8, 6))),
                            manager,
                            -1,
                            8);
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    layer.forward(
                                            ps, new NDList(manager.ones(new Shape(3, 6))), false));
            assertTrue(e.getMessage().contains("hidden-size mismatch"), e.getMessage());
            NDArray nan = manager.ones(new Shape(3, 8)).mul(Float.NaN);
            e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> layer.forward(ps, new NDList(nan), false));
            assertTrue(e.getMessage().contains("NaN"), e.getMessage());
            NDArray inf = manager.ones(new Shape(3, 8)).mul(Float.POSITIVE_INFINITY);
            assertThrows(
                    IllegalArgumentException.class,
                    () -> layer.forward(ps, new NDList(inf), false));
            e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    MoeStack.builder()
                                            .addLayer(
                                                    MoeLayerSpec.of(
                                                            RouterPresets.mixtral(4, 2),
                                                            new SwiGluExpertSpec(4, 8, 6)))
                                            .addLayer(
                                                    MoeLayerSpec.of(
                                                            RouterPresets.mixtral(4, 2),
                                                            new SwiGluExpertSpec(4, 6, 6)))
                                            .build());
            assertTrue(e.getMessage().contains("hidden-size mismatch"), e.getMessage());
        }
    }

    @Test
    void expertsStartWithPerExpertXavierScale() {
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeLayer layer =
                    MoeTestSupport.init(
                            new MoeLayer(
                                    MoeLayerSpec.of(
                                            RouterPresets.mixtral(4, 2),
                                            new SwiGluExpertSpec(4, 32, 64))),
                            manager,
                            -1,
                            32);
            // gate_up [4, 128, 32]: U(-s, s) with s^2 = 6 / ((128 + 32) / 2), variance s^2 / 3 = 4
            // / 160
            float[] w =
                    ((io.moezoo.blocks.experts.SwiGluExperts) layer.getExperts())
                            .getGateUpProj()
                            .getArray()
                            .toFloatArray();
            double sum = 0;
            double sumSq = 0;
            for (float v : w) {
                sum += v;
                sumSq += v * v;
            }
            double variance = sumSq / w.length - (sum / w.length) * (sum / w.length);
            assertTrue(Math.abs(variance - 4.0 / 160) < 0.1 * 4.0 / 160, "variance " + variance);
        }
    }

    @Test
    void specsRoundTripThroughJson() {
        RouterSpec[] specs = {
            RouterPresets.deepSeekV3(16, 4, 4, 2, 2.5f),
            CapacityTopKSpec.of(8, 2, 1.05f)
                    .withCapacityMultiple(4)
                    .withBatchPrioritized(true)
                    .withNoiseStd(1f),
            TopPSpec.of(8, 0.4f, 1, 3).withNullExperts(2)
        };
        for (RouterSpec s : specs) {
            assertTrue(s.toJson().equals(RouterSpec.fromJson(s.toJson()).toJson()), s.toJson());
        }
        ExpertSpec lora = new LoraExpertSpec(4, 8, 6, 4, 8);
        assertTrue(lora.toJson().equals(ExpertSpec.fromJson(lora.toJson()).toJson()));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                RouterSpec.fromJson(
                                        "{\"type\":\"SOFTMAX_TOP_K\",\"numExperts\":4,\"topK\":9}"));
        assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
    }
}
