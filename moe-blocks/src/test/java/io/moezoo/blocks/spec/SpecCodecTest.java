package io.moezoo.blocks.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moezoo.blocks.attention.AttentionKinds;
import io.moezoo.blocks.attention.AttentionLayerSpec;
import io.moezoo.blocks.attention.AttentionSpec;
import io.moezoo.blocks.attention.MoaSpec;
import io.moezoo.blocks.attention.YarnScaling;
import io.moezoo.blocks.dispatch.DispatcherKinds;
import io.moezoo.blocks.experts.ExpertKinds;
import io.moezoo.blocks.routing.RouterKinds;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The one spec codec: round trips, defaults, named errors, and the JSON of version 0.1. */
class SpecCodecTest {

    /** One spec of every router kind, with non-default options where the kind has them. */
    static List<RouterSpec> routers() {
        return List.of(
                RouterPresets.mixtral(8, 2).withJitter(0.01f).withNullExperts(2),
                TopKSoftmaxSpec.of(8, 2).withNullExperts(1).withBias(true),
                SwitchSpec.of(8, 1.25f).withGroupSize(16).withJitter(0.01f),
                CapacityTopKSpec.of(8, 2, 1.05f)
                        .withCapacityMultiple(4)
                        .withNoiseStd(1f)
                        .withBatchPrioritized(true),
                ExpertChoiceSpec.of(8, 2, 1f).withCapacity(6),
                TopPSpec.of(8, 0.4f, 1, 4).withNormalizeTopK(true),
                RouterPresets.deepSeekV3(16, 4, 4, 2, 2.5f),
                new NoisyTopKSpec(8, 2),
                TopKSoftmaxSpec.of(32, 4).withBias(true));
    }

    @Test
    void everyRouterKindRoundTripsAndIsRegisteredOnce() {
        Set<String> seen =
                routers().stream()
                        .map(r -> RouterKinds.registry().kindOf(r).name())
                        .collect(Collectors.toSet());
        assertEquals(RouterKinds.registry().names(), seen, "one sample per registered kind");
        for (RouterSpec spec : routers()) {
            RouterSpec back = RouterSpec.fromJson(spec.toJson());
            assertEquals(spec, back, spec.toJson());
        }
    }

    @Test
    void everyExpertFormRoundTrips() {
        List<ExpertSpec> all =
                List.of(
                        new SwiGluExpertSpec(8, 16, 32),
                        MlpExpertSpec.of(8, 16, 32)
                                .withActivation(ExpertActivation.RELU)
                                .withBias(false),
                        new LoraExpertSpec(8, 16, 32, 4, 8f),
                        new LinearExpertSpec(8, 16, 24),
                        new ClampedSwiGluExpertSpec(8, 16, 32, 5f, 1.5f));
        assertEquals(
                ExpertKinds.registry().names(),
                all.stream()
                        .map(e -> ExpertKinds.registry().kindOf(e).name())
                        .collect(Collectors.toSet()));
        for (ExpertSpec spec : all) {
            assertEquals(spec, ExpertSpec.fromJson(spec.toJson()));
        }
    }

    @Test
    void omittedFieldsTakeTheDocumentedDefaults() {
        assertEquals(
                SoftmaxTopKSpec.of(8, 2),
                RouterSpec.fromJson("{\"type\":\"softmax_top_k\",\"numExperts\":8,\"topK\":2}"));
        CapacityTopKSpec c =
                (CapacityTopKSpec)
                        RouterSpec.fromJson(
                                "{\"type\":\"capacity_top_k\",\"numExperts\":4,\"topK\":1}");
        assertEquals(1f, c.capacityFactor());
        assertEquals(-1, c.capacity());
        assertEquals(1, c.capacityMultiple());
        TopPSpec p =
                (TopPSpec)
                        RouterSpec.fromJson("{\"type\":\"top_p\",\"numExperts\":6,\"topP\":0.5}");
        assertEquals(6, p.maxExperts(), "maxExperts 0 (the default) reads as E");
        assertEquals(
                MlpExpertSpec.of(4, 8, 16),
                ExpertSpec.fromJson(
                        "{\"type\":\"mlp\",\"numExperts\":4,\"hiddenSize\":8,"
                                + "\"intermediateSize\":16}"));
    }

    @Test
    void badJsonIsRefusedNamingTheField() {
        assertMessage("{\"type\":\"softmax_top_k\",\"numExperts\":8}", "field \"topK\" is missing");
        assertMessage(
                "{\"type\":\"softmax_top_k\",\"numExperts\":8,\"topK\":\"two\"}",
                "field \"topK\": expected a number");
        assertMessage(
                "{\"type\":\"softmax_top_k\",\"numExperts\":8,\"topK\":2.5}",
                "field \"topK\": expected an integer");
        assertMessage(
                "{\"type\":\"softmax_top_k\",\"numExperts\":8,\"topK\":2,\"capacity\":4}",
                "unknown field \"capacity\"");
        assertMessage("{\"type\":\"hash\",\"numExperts\":8}", "Unknown router type \"hash\"");
        assertMessage("{\"numExperts\":8}", "has no \"type\"");
        assertMessage(
                "{\"type\":\"group_limited\",\"numExperts\":8,\"topK\":2,\"scoring\":\"TANH\"}",
                "field \"scoring\": expected one of [SOFTMAX, SIGMOID]");
        assertMessage(
                "{\"type\":\"softmax_top_k\",\"numExperts\":8,\"topK\":9}",
                "router softmax_top_k: Invalid softmax_top_k router spec: topK (k=9) exceeds");
    }

    @Test
    void version01JsonStillReads() {
        // The router and experts of the shipped brown-moe model.json, as version 0.1 wrote them.
        String router =
                "{\"type\":\"SOFTMAX_TOP_K\",\"numExperts\":8,\"topK\":2,\"normalizeTopK\":true,"
                        + "\"scalingFactor\":1.0,\"jitter\":0.0,\"noiseStd\":0.0,"
                        + "\"capacityFactor\":-1.0,\"capacity\":-1,\"capacityMultiple\":1,"
                        + "\"groupSize\":0,\"batchPrioritized\":false,\"topP\":-1.0,"
                        + "\"minExperts\":1,\"maxExperts\":8,\"nullExperts\":0,"
                        + "\"scoring\":\"SOFTMAX\",\"numGroups\":1,\"topKGroups\":1,"
                        + "\"groupScore\":\"MAX\",\"correctionBias\":false,\"biasUpdateRate\":0.0}";
        assertEquals(RouterPresets.mixtral(8, 2), RouterSpec.fromJson(router));
        // The shipped V-MoE router: the capacity options are the kind's own.
        String vmoe =
                router.replace("SOFTMAX_TOP_K", "CAPACITY_TOP_K")
                        .replace("\"normalizeTopK\":true", "\"normalizeTopK\":false")
                        .replace("\"noiseStd\":0.0", "\"noiseStd\":1.0")
                        .replace("\"capacityFactor\":-1.0", "\"capacityFactor\":1.05")
                        .replace("\"capacityMultiple\":1", "\"capacityMultiple\":4")
                        .replace("\"batchPrioritized\":false", "\"batchPrioritized\":true");
        assertEquals(
                CapacityTopKSpec.of(8, 2, 1.05f)
                        .withCapacityMultiple(4)
                        .withNoiseStd(1f)
                        .withBatchPrioritized(true),
                RouterSpec.fromJson(vmoe));
        // An option the kind does not have, set away from its old default, is not dropped.
        assertMessage(router.replace("\"noiseStd\":0.0", "\"noiseStd\":0.5"), "noiseStd");
        String experts =
                "{\"type\":\"SWIGLU\",\"numExperts\":8,\"hiddenSize\":96,\"intermediateSize\":96,"
                        + "\"activation\":\"GELU\",\"bias\":true,\"loraRank\":8,\"loraAlpha\":16.0}";
        assertEquals(new SwiGluExpertSpec(8, 96, 96), ExpertSpec.fromJson(experts));
        MoeLayerSpec layer =
                MoeLayerSpec.fromJson(
                        "{\"router\":"
                                + router
                                + ",\"experts\":"
                                + experts
                                + ",\"shared\":null,\"dispatch\":\"SORTED\"}");
        assertEquals(DispatcherKinds.SORTED, layer.dispatch());
        assertEquals(layer, MoeLayerSpec.fromJson(layer.toJson()));
    }

    @Test
    void attentionKindsRoundTrip() {
        List<AttentionLayerSpec> all =
                List.of(
                        new AttentionSpec(
                                64, 4, 2, 16, true, AttentionSpec.QkNorm.NONE, 1e6, 1.0, 0, 1e-6f),
                        new MoaSpec(64, 8, 2, 2, 16, 10000.0),
                        new AttentionSpec(
                                        64,
                                        4,
                                        2,
                                        16,
                                        true,
                                        AttentionSpec.QkNorm.NONE,
                                        150000,
                                        1.0,
                                        128,
                                        1e-5f)
                                .withGptOssExtras(true, true, YarnScaling.gptOss()));
        for (AttentionLayerSpec spec : all) {
            String json = SpecCodec.write(AttentionKinds.registry(), spec).toString();
            assertEquals(spec, SpecCodec.read(AttentionKinds.registry(), json), json);
        }
    }

    @Test
    void gptOssFieldsDefaultSoOldJsonStillReads() {
        AttentionSpec old =
                (AttentionSpec)
                        SpecCodec.read(
                                AttentionKinds.registry(),
                                "{\"type\":\"gqa\",\"hiddenSize\":64,\"numHeads\":4,"
                                        + "\"numKvHeads\":2,\"headDim\":16,\"rmsNormEps\":1e-6}");
        assertEquals(false, old.oBias());
        assertEquals(false, old.sinks());
        assertEquals(null, old.yarn());
        RouterSpec router =
                RouterSpec.fromJson("{\"type\":\"top_k_softmax\",\"numExperts\":8,\"topK\":2}");
        assertEquals(TopKSoftmaxSpec.of(8, 2), router);
        assertEquals(false, router.bias());
        assertEquals(
                ClampedSwiGluExpertSpec.of(4, 8, 16),
                ExpertSpec.fromJson(
                        "{\"type\":\"clamped_swiglu\",\"numExperts\":4,\"hiddenSize\":8,"
                                + "\"intermediateSize\":16}"));
        assertEquals(7f, ClampedSwiGluExpertSpec.of(4, 8, 16).limit());
        assertEquals(1.702f, ClampedSwiGluExpertSpec.of(4, 8, 16).alpha());
        assertThrows(
                SpecJsonException.class,
                () ->
                        ExpertSpec.fromJson(
                                "{\"type\":\"clamped_swiglu\",\"numExperts\":4,"
                                        + "\"hiddenSize\":8,\"intermediateSize\":16,\"limit\":0}"));
    }

    private static void assertMessage(String json, String expected) {
        SpecJsonException e =
                assertThrows(SpecJsonException.class, () -> RouterSpec.fromJson(json));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
