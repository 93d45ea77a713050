package io.moezoo.recipes.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.moezoo.blocks.spec.CapacityTopKSpec;
import io.moezoo.blocks.spec.RouterPresets;
import io.moezoo.blocks.spec.RouterSpec;
import io.moezoo.models.vision.ConvStem;
import io.moezoo.models.vision.VisionMoeSpec;
import io.moezoo.models.vision.VisionMoeTransformer;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The spec as data: JSON round trip, validation messages, parameter counts. */
class VisionMoeSpecTest {

    @Test
    void jsonRoundTripKeepsEveryField() {
        VisionMoeSpec spec = VisionMoeTraining.moeSpec();
        VisionMoeSpec back = VisionMoeSpec.fromJson(spec.toJson());
        assertEquals(spec.toJson(), back.toJson());
        assertEquals(List.of(1), back.moeLayers(), "V-MoE every-2 placement of 2 blocks");
        assertEquals(List.of(32, 64, 128), back.stemChannels());
        assertEquals(spec.router(), back.router(), "records compare by value");
        assertTrue(((CapacityTopKSpec) back.router()).batchPrioritized());
        VisionMoeSpec dense = VisionMoeSpec.fromJson(VisionMoeTraining.denseSpec().toJson());
        assertTrue(dense.moeLayers().isEmpty());
    }

    @Test
    void everyNthFollowsVmoe() {
        assertEquals(List.of(1, 3, 5), VisionMoeSpec.everyNth(6, 2));
        assertEquals(List.of(2, 5), VisionMoeSpec.everyNth(6, 3));
        assertEquals(List.of(0, 1, 2), VisionMoeSpec.everyNth(3, 1));
    }

    private static String invalid(Consumer<JsonObject> edit) {
        JsonObject o =
                JsonParser.parseString(VisionMoeTraining.moeSpec().toJson()).getAsJsonObject();
        edit.accept(o);
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> VisionMoeSpec.fromJson(o.toString()));
        return e.getMessage();
    }

    @Test
    void invalidSpecsNameTheField() {
        assertTrue(invalid(o -> o.addProperty("patchSize", 5)).contains("patchSize"));
        assertTrue(invalid(o -> o.addProperty("numHeads", 3)).contains("numHeads"));
        assertTrue(invalid(o -> o.remove("hiddenSize")).contains("\"hiddenSize\" is missing"));
        assertTrue(invalid(o -> o.addProperty("numLayers", "four")).contains("numLayers"));
        assertTrue(invalid(o -> o.addProperty("numLayers", 2.5)).contains("numLayers"));
        assertTrue(invalid(o -> o.addProperty("format", "other/9")).contains("format"));
        assertTrue(invalid(o -> o.addProperty("pooling", "MAX")).contains("pooling"));
        assertTrue(invalid(o -> o.addProperty("inputStd", 0)).contains("inputStd"));
        assertTrue(
                invalid(o -> o.getAsJsonArray("moeLayers").add(7)).contains("moeLayers entry 7"));
        assertTrue(invalid(o -> o.getAsJsonArray("moeLayers").add(1)).contains("distinct"));
        assertTrue(invalid(o -> o.remove("router")).contains("router"));
        assertTrue(
                invalid(o -> o.getAsJsonObject("experts").addProperty("hiddenSize", 32))
                        .contains("hiddenSize"));
        assertTrue(
                invalid(o -> o.getAsJsonObject("router").addProperty("noiseStd", 0))
                        .contains("load loss needs a noisy router"));
        assertTrue(
                invalid(o -> o.getAsJsonObject("router").addProperty("groupSize", 32))
                        .contains("groupSize"));
        assertTrue(
                invalid(o -> o.getAsJsonObject("router").addProperty("topK", 9)).contains("topK"));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> VisionMoeSpec.fromJson("{not json"));
        assertTrue(e.getMessage().contains("malformed JSON"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> VisionMoeSpec.fromJson("[1]"));
        assertTrue(e.getMessage().contains("JSON object"), e.getMessage());
        RouterSpec dropless = RouterPresets.mixtral(8, 2);
        VisionMoeSpec spec = VisionMoeTraining.moeSpec();
        e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                new VisionMoeSpec(
                                        "x",
                                        28,
                                        1,
                                        7,
                                        64,
                                        4,
                                        4,
                                        128,
                                        List.of(1),
                                        dropless,
                                        spec.experts(),
                                        spec.dispatch(),
                                        spec.pooling(),
                                        10,
                                        1e-6f,
                                        0f,
                                        0.01f,
                                        0.5f,
                                        0.5f));
        assertTrue(e.getMessage().contains("load loss"), e.getMessage());
    }

    private static long countBlockParameters(VisionMoeSpec spec) {
        try (NDManager m = NDManager.newBaseManager()) {
            VisionMoeTransformer block = new VisionMoeTransformer(spec);
            block.initialize(m, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            long n = 0;
            for (Pair<String, Parameter> p : block.getParameters()) {
                Parameter.Type type = p.getValue().getType();
                if (type != Parameter.Type.RUNNING_MEAN && type != Parameter.Type.RUNNING_VAR) {
                    n += p.getValue().getArray().size();
                }
            }
            return n;
        }
    }

    @Test
    void parameterCountsMatchTheBuiltBlocks() {
        VisionMoeSpec moe = VisionMoeTraining.moeSpec();
        VisionMoeSpec dense = VisionMoeTraining.denseSpec();
        assertEquals(countBlockParameters(moe), moe.totalParameters());
        assertEquals(countBlockParameters(dense), dense.totalParameters());
        assertEquals(dense.totalParameters(), dense.activatedParameters());
        VisionMoeSpec flat = moe.withPooling(VisionMoeSpec.Pooling.FLATTEN);
        assertEquals(countBlockParameters(flat), flat.totalParameters());
        // The head reads N·D values instead of D: (N - 1)·D·classes more weights.
        assertEquals(
                (moe.numPatches() - 1) * moe.hiddenSize() * moe.numClasses(),
                flat.totalParameters() - moe.totalParameters());
        // Hand count of what one token activates in an MoE block beyond the dense one it replaces:
        // the router (E·D) and (k-1) extra expert output biases (D each); everything else equal.
        long d = moe.hiddenSize();
        long e = moe.experts().numExperts();
        long k = moe.router().topK();
        long perBlock = e * d + (k - 1) * d;
        assertEquals(
                dense.activatedParameters() + moe.moeLayers().size() * perBlock,
                moe.activatedParameters());
        // The inactive experts are the difference between total and activated.
        long expert =
                2 * d * moe.experts().intermediateSize() + moe.experts().intermediateSize() + d;
        assertEquals(
                moe.totalParameters() - moe.activatedParameters(),
                moe.moeLayers().size() * (e - k) * expert);
    }

    @Test
    void hybridStemHalvesTheImageOncePerStage() {
        VisionMoeSpec spec = VisionMoeTraining.moeSpec();
        assertEquals(3, spec.featureSide(), "28 -> 14 -> 7 -> 3 (max pooling rounds down)");
        assertEquals(128, spec.featureChannels());
        assertEquals(128, spec.patchDim(), "1x1 patches of 128 channels");
        assertEquals(9, spec.sequenceLength());
        // The stem is FashionCnn's convolutional part: its hand count (9·(1·32 + 32·64 + 64·128)
        // convolution weights plus BatchNorm scale and shift) is in FashionCnnTest.
        assertEquals(92_448 + 448, ConvStem.trainableParameters(1, spec.stemChannels()));
        VisionMoeSpec plain = spec.withStem(List.of());
        assertEquals(28, plain.featureSide());
        assertEquals(1, plain.patchDim());
    }

    @Test
    void unpooledStemStagesKeepTheirResolution() {
        VisionMoeSpec spec = VisionMoeTraining.moeSpec().withStem(List.of(32, 64, 128), 1);
        assertEquals(7, spec.featureSide(), "28 -> 14 -> 7, the third stage keeps 7x7");
        assertEquals(128, spec.featureChannels());
        assertEquals(49, spec.sequenceLength());
        assertEquals(
                VisionMoeTraining.moeSpec().totalParameters() + 40L * spec.hiddenSize(),
                spec.totalParameters(),
                "the same weights plus 40 more position embeddings");
        VisionMoeSpec back = VisionMoeSpec.fromJson(spec.toJson());
        assertEquals(spec, back);
        assertEquals(1, back.stemUnpooled());
        VisionMoeSpec all = spec.withStem(List.of(32, 64, 128), 3);
        assertEquals(28, all.featureSide());
        JsonObject old = JsonParser.parseString(spec.toJson()).getAsJsonObject();
        assertTrue(old.remove("stemUnpooled") != null);
        assertEquals(3, VisionMoeSpec.fromJson(old.toString()).featureSide(), "absent: all pool");
    }

    @Test
    void specsWrittenBeforeTheStemReadAsPlain() {
        JsonObject o =
                JsonParser.parseString(VisionMoeTraining.moeSpec().withStem(List.of()).toJson())
                        .getAsJsonObject();
        o.addProperty("patchSize", 4);
        assertTrue(o.remove("stemChannels") != null);
        VisionMoeSpec old = VisionMoeSpec.fromJson(o.toString());
        assertEquals(List.of(), old.stemChannels());
        assertEquals(7, old.gridSize());
        assertEquals(16, old.patchDim());
    }

    @Test
    void invalidStemsNameTheProblem() {
        assertTrue(invalid(o -> o.getAsJsonArray("stemChannels").add(0)).contains("stemChannels"));
        String tooDeep =
                invalid(
                        o -> {
                            for (int i = 0; i < 3; i++) {
                                o.getAsJsonArray("stemChannels").add(8);
                            }
                        });
        assertTrue(tooDeep.contains("2^6"), tooDeep);
        String unpooled = invalid(o -> o.addProperty("stemUnpooled", 4));
        assertTrue(unpooled.contains("stemUnpooled must be in [0, 3]"), unpooled);
        assertTrue(invalid(o -> o.addProperty("stemUnpooled", -1)).contains("stemUnpooled"));
        String patch = invalid(o -> o.addProperty("patchSize", 2));
        assertTrue(patch.contains("patchSize") && patch.contains("side 3"), patch);
    }
}
