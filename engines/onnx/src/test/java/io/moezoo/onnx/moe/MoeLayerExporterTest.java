package io.moezoo.onnx.moe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.moezoo.blocks.layer.MoeLayer;
import io.moezoo.blocks.spec.CapacityTopKSpec;
import io.moezoo.blocks.spec.ClampedSwiGluExpertSpec;
import io.moezoo.blocks.spec.ExpertActivation;
import io.moezoo.blocks.spec.ExpertChoiceSpec;
import io.moezoo.blocks.spec.LinearExpertSpec;
import io.moezoo.blocks.spec.LoraExpertSpec;
import io.moezoo.blocks.spec.MlpExpertSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.NoisyTopKSpec;
import io.moezoo.blocks.spec.RouterPresets;
import io.moezoo.blocks.spec.RouterSpec;
import io.moezoo.blocks.spec.SharedExpertSpec;
import io.moezoo.blocks.spec.SoftmaxTopKSpec;
import io.moezoo.blocks.spec.SwiGluExpertSpec;
import io.moezoo.blocks.spec.SwitchSpec;
import io.moezoo.blocks.spec.TopKSoftmaxSpec;
import io.moezoo.blocks.spec.TopPSpec;
import io.moezoo.onnx.LayerFixture;
import io.moezoo.onnx.OrtRunner;
import io.moezoo.onnx.UnsupportedExportException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MoeLayerExporterTest {

    private static final int H = 16;
    private static final int E = 8;

    @TempDir Path dir;

    static Stream<Arguments> layers() {
        SwiGluExpertSpec swiglu = new SwiGluExpertSpec(E, H, 12);
        MlpExpertSpec gelu = MlpExpertSpec.of(E, H, 12);
        MlpExpertSpec relu = gelu.withActivation(ExpertActivation.RELU).withBias(false);
        RouterSpec v3 = RouterPresets.deepSeekV3(E, 2, 4, 2, 2.5f);
        RouterSpec v2 = RouterPresets.deepSeekV2(E, 3, 4, 2, false, 1.5f);
        return Stream.of(
                Arguments.of("mixtral", MoeLayerSpec.of(RouterPresets.mixtral(E, 2), swiglu)),
                Arguments.of(
                        "qwen-unnormalised",
                        MoeLayerSpec.of(RouterPresets.qwenMoe(E, 2, false), swiglu)
                                .withSharedExpert(new SharedExpertSpec(10, true))),
                Arguments.of(
                        "softmax-null-experts-scaled",
                        MoeLayerSpec.of(
                                SoftmaxTopKSpec.of(E, 2).withNullExperts(2).withScalingFactor(1.7f),
                                gelu)),
                Arguments.of("top-k-softmax", MoeLayerSpec.of(TopKSoftmaxSpec.of(E, 2), relu)),
                Arguments.of("noisy-top-k", MoeLayerSpec.of(new NoisyTopKSpec(E, 2), swiglu)),
                Arguments.of(
                        "deepseek-v3",
                        MoeLayerSpec.of(v3, swiglu)
                                .withSharedExpert(new SharedExpertSpec(10, false))
                                .withOutputBias(true)),
                Arguments.of("deepseek-v2", MoeLayerSpec.of(v2, gelu)),
                Arguments.of("top-1", MoeLayerSpec.of(RouterPresets.mixtral(E, 1), swiglu)),
                Arguments.of(
                        "gpt-oss-clamped-swiglu",
                        MoeLayerSpec.of(
                                TopKSoftmaxSpec.of(E, 2), ClampedSwiGluExpertSpec.of(E, H, 12))),
                Arguments.of("top-p", MoeLayerSpec.of(TopPSpec.of(E, 0.5f, 1, 3), swiglu)),
                Arguments.of("top-p-min-2", MoeLayerSpec.of(TopPSpec.of(E, 0.3f, 2, E), gelu)),
                Arguments.of(
                        "expert-choice", MoeLayerSpec.of(ExpertChoiceSpec.of(E, 2, 1.0f), swiglu)),
                Arguments.of(
                        "lora-experts",
                        MoeLayerSpec.of(RouterPresets.mixtral(E, 2), LoraExpertSpec.of(E, H, 12))),
                Arguments.of("switch", MoeLayerSpec.of(SwitchSpec.of(E, 1.0f), gelu)),
                Arguments.of(
                        "switch-fixed-capacity",
                        MoeLayerSpec.of(SwitchSpec.of(E, 1.0f).withCapacity(1), swiglu)),
                Arguments.of(
                        "v-moe-bpr",
                        MoeLayerSpec.of(
                                CapacityTopKSpec.of(E, 2, 1.05f)
                                        .withCapacityMultiple(1)
                                        .withBatchPrioritized(true),
                                gelu)),
                Arguments.of(
                        "capacity-top-2-groups",
                        MoeLayerSpec.of(
                                CapacityTopKSpec.of(E, 2, 0.5f)
                                        .withGroupSize(5)
                                        .withNormalizeTopK(true),
                                swiglu)),
                Arguments.of(
                        "v-moe-zoo-settings",
                        MoeLayerSpec.of(
                                CapacityTopKSpec.of(E, 2, 1.05f)
                                        .withCapacityMultiple(4)
                                        .withBatchPrioritized(true),
                                gelu)));
    }

    static Stream<Arguments> layersAndModes() {
        return layers().flatMap(
                        a ->
                                Stream.of(DispatchMode.values())
                                        .map(m -> Arguments.of(a.get()[0], a.get()[1], m)));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("layersAndModes")
    void onnxRuntimeMatchesTheBlock(String name, MoeLayerSpec spec, DispatchMode mode)
            throws Exception {
        int batch = 2;
        int seq = 5;
        float[] x = LayerFixture.gaussian(99, 1f, batch * seq * H);
        Shape shape = new Shape(batch, seq, H);
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            MoeLayer layer = LayerFixture.randomize(new MoeLayer(spec), manager, 7, 0.3f, shape);
            for (int rank = 2; rank <= 3; rank++) {
                Path file = dir.resolve(name + "-" + mode + "-" + rank + ".onnx");
                MoeLayerExporter.export(layer, mode, rank).write(file);
                // Rank 2 is one routing group of all tokens, rank 3 one group per sequence.
                Shape in = rank == 2 ? new Shape(batch * seq, H) : shape;
                float[] expected = LayerFixture.forward(layer, manager, x, in);
                try (OrtRunner ort = new OrtRunner(file)) {
                    float[] actual = ort.run(m -> new NDList(m.create(x, in))).get(0);
                    double diff = OrtRunner.maxAbsDiff(expected, actual);
                    assertTrue(diff < 1e-4, name + " " + mode + " rank " + rank + ": " + diff);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsupported")
    void unsupportedFormsAreNamed(String form, MoeLayerSpec spec) {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            MoeLayer layer =
                    LayerFixture.randomize(new MoeLayer(spec), manager, 1, 0.3f, new Shape(4, H));
            UnsupportedExportException e =
                    assertThrows(
                            UnsupportedExportException.class,
                            () -> MoeLayerExporter.export(layer, DispatchMode.SPARSE, 2));
            assertTrue(e.getForm().contains(form), e.getMessage());
        }
    }

    static Stream<Arguments> unsupported() {
        return Stream.of(
                Arguments.of(
                        "linear",
                        MoeLayerSpec.of(
                                RouterPresets.mixtral(E, 2), new LinearExpertSpec(E, H, 12))));
    }

    @org.junit.jupiter.api.Test
    void emptyExpertsAreFine() throws Exception {
        // One token, top-1: seven of eight experts get no rows in the sparse graph.
        MoeLayerSpec spec =
                MoeLayerSpec.of(RouterPresets.mixtral(E, 1), new SwiGluExpertSpec(E, H, 12));
        float[] x = LayerFixture.gaussian(5, 1f, H);
        Shape shape = new Shape(1, H);
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            MoeLayer layer = LayerFixture.randomize(new MoeLayer(spec), manager, 3, 0.3f, shape);
            float[] expected = LayerFixture.forward(layer, manager, x, shape);
            Path file = dir.resolve("one.onnx");
            MoeLayerExporter.export(layer, DispatchMode.SPARSE, 2).write(file);
            try (OrtRunner ort = new OrtRunner(file)) {
                float[] actual = ort.run(m -> new NDList(m.create(x, shape))).get(0);
                assertEquals(0, OrtRunner.maxAbsDiff(expected, actual), 1e-4);
            }
        }
    }
}
