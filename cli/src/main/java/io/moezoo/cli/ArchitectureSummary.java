package io.moezoo.cli;

import ai.djl.nn.Parameter;
import com.google.gson.JsonObject;
import io.moezoo.blocks.attention.AttentionLayerSpec;
import io.moezoo.blocks.experts.ExpertKinds;
import io.moezoo.blocks.experts.Experts;
import io.moezoo.blocks.routing.RouterKinds;
import io.moezoo.blocks.spec.ExpertSpec;
import io.moezoo.blocks.spec.GroupLimitedSpec;
import io.moezoo.blocks.spec.LinearExpertSpec;
import io.moezoo.blocks.spec.LoraExpertSpec;
import io.moezoo.blocks.spec.MlpExpertSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.RouterSpec;
import io.moezoo.blocks.spec.SharedExpertSpec;
import io.moezoo.models.language.DecoderSpec;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The architecture of a decoder as {@code info} shows it: sizes, the attention and its parameters,
 * which layers are MoE, each distinct MoE layer's router, experts and shared expert, and parameter
 * counts (all, the routed experts', and those one token runs through).
 *
 * <p>The counts: {@code total} is what the checkpoint stores; {@code routed_experts} is the
 * parameters stacked per expert in the MoE layers' expert banks (weights shared by all experts,
 * such as LoRA's frozen FFN, excluded); {@code active_per_token} is the total less the routed
 * experts a token does not use, {@code (1 - top_k / experts)} of each layer's.
 */
final class ArchitectureSummary {

    private ArchitectureSummary() {}

    /**
     * Summarizes a decoder.
     *
     * @param decoder the decoder spec
     * @param totalParameters the number of parameters the checkpoint stores
     * @return the summary, in display order
     */
    static JsonObject of(DecoderSpec decoder, long totalParameters) {
        JsonObject summary = new JsonObject();
        summary.addProperty("model_type", decoder.modelType());
        summary.addProperty("layers", decoder.numLayers());
        summary.addProperty("hidden_size", decoder.hiddenSize());
        summary.addProperty("vocab_size", decoder.vocabSize());
        summary.addProperty("context_length", decoder.maxPositionEmbeddings());
        summary.addProperty("tied_embeddings", decoder.tieWordEmbeddings());
        summary.add("attention", attention(decoder.attention()));
        if (!decoder.multipliers().isNone()) {
            JsonObject m = new JsonObject();
            m.addProperty("embedding", decoder.multipliers().embedding());
            m.addProperty("residual", decoder.multipliers().residual());
            m.addProperty("logits_divisor", decoder.multipliers().logitsScaling());
            summary.add("multipliers", m);
        }

        Map<JsonObject, List<Integer>> moeGroups = new LinkedHashMap<>();
        Map<JsonObject, MoeLayerSpec> specs = new LinkedHashMap<>();
        List<Integer> dense = new ArrayList<>();
        long routed = 0;
        long inactive = 0;
        for (int i = 0; i < decoder.numLayers(); i++) {
            MoeLayerSpec layer = decoder.ffn().get(i);
            if (layer == null) {
                dense.add(i);
                continue;
            }
            JsonObject key = layer.toJsonObject();
            moeGroups.computeIfAbsent(key, k -> new ArrayList<>()).add(i);
            specs.putIfAbsent(key, layer);
            long perExpert = routedParameters(layer.experts()) / layer.experts().numExperts();
            routed += perExpert * layer.experts().numExperts();
            inactive += perExpert * (layer.experts().numExperts() - layer.router().topK());
        }
        JsonObject ffn = new JsonObject();
        ffn.addProperty("moe_layers", ranges(moeGroups.values().stream().flatMap(List::stream)));
        ffn.addProperty("dense_layers", ranges(dense.stream()));
        if (!dense.isEmpty()) {
            ffn.addProperty("dense_intermediate_size", decoder.denseIntermediateSize());
        }
        summary.add("ffn", ffn);
        for (Map.Entry<JsonObject, List<Integer>> group : moeGroups.entrySet()) {
            String name =
                    moeGroups.size() == 1
                            ? "moe"
                            : "moe layers " + ranges(group.getValue().stream());
            summary.add(name, moe(specs.get(group.getKey())));
        }

        JsonObject parameters = new JsonObject();
        parameters.addProperty("total", totalParameters);
        parameters.addProperty("routed_experts", routed);
        parameters.addProperty("active_per_token", totalParameters - inactive);
        summary.add("parameters", parameters);
        return summary;
    }

    /** The attention's kind, then its parameters: the spec's record components but H. */
    private static JsonObject attention(AttentionLayerSpec attention) {
        JsonObject o = new JsonObject();
        o.addProperty("kind", attention.kind());
        RecordComponent[] components = attention.getClass().getRecordComponents();
        if (components == null) {
            return o;
        }
        for (RecordComponent component : components) {
            if (component.getName().equals("hiddenSize")) {
                continue;
            }
            Object value;
            try {
                value = component.getAccessor().invoke(attention);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            String key = snakeCase(component.getName());
            if (value instanceof Number number) {
                o.addProperty(key, number);
            } else if (value instanceof Boolean bool) {
                o.addProperty(key, bool);
            } else if (value instanceof Enum<?> constant) {
                o.addProperty(key, constant.name().toLowerCase(Locale.ROOT));
            }
            // Other values (a RotaryEmbedding: precomputed frequencies) have no short form.
        }
        return o;
    }

    private static JsonObject moe(MoeLayerSpec layer) {
        RouterSpec router = layer.router();
        ExpertSpec experts = layer.experts();
        JsonObject o = new JsonObject();
        o.addProperty("router", RouterKinds.registry().kindOf(router).name());
        o.addProperty("experts", experts.numExperts());
        o.addProperty("top_k", router.topK());
        GroupLimitedSpec grouped = router instanceof GroupLimitedSpec g ? g : null;
        o.addProperty(
                "scoring",
                grouped == null ? "softmax" : grouped.scoring().name().toLowerCase(Locale.ROOT));
        o.addProperty("normalize_top_k", router.normalizeTopK());
        if (grouped != null && grouped.numGroups() > 1) {
            o.addProperty(
                    "groups", grouped.numGroups() + ", top " + grouped.topKGroups() + " used");
        }
        if (router.scalingFactor() != 1f) {
            o.addProperty("scaling_factor", router.scalingFactor());
        }
        o.addProperty("expert_form", expertForm(experts));
        String size = experts.hiddenSize() + " -> " + experts.intermediateSize();
        o.addProperty(
                "expert_size",
                experts instanceof LinearExpertSpec ? size : size + " -> " + experts.hiddenSize());
        SharedExpertSpec shared = layer.sharedExpert();
        o.addProperty(
                "shared_expert",
                shared == null
                        ? "none"
                        : shared.intermediateSize() + " wide" + (shared.gated() ? ", gated" : ""));
        return o;
    }

    private static String expertForm(ExpertSpec experts) {
        String type = ExpertKinds.registry().kindOf(experts).name();
        if (experts instanceof MlpExpertSpec mlp) {
            return type + ", " + mlp.activation().name().toLowerCase(Locale.ROOT);
        }
        if (experts instanceof LoraExpertSpec lora) {
            return type + ", rank " + lora.loraRank();
        }
        return type;
    }

    /** The parameters an expert bank stacks per expert (its shapes are known before loading). */
    private static long routedParameters(ExpertSpec spec) {
        Experts bank = ExpertKinds.create(spec);
        long count = 0;
        for (Parameter parameter : bank.getDirectParameters().values()) {
            if (bank.isStackedPerExpert(parameter)) {
                count += parameter.getShape().size();
            }
        }
        return count;
    }

    /** Layer indices as ranges, e.g. {@code 0-2, 5}; {@code none} for none. */
    private static String ranges(java.util.stream.Stream<Integer> layers) {
        List<Integer> sorted = layers.sorted().toList();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < sorted.size(); i++) {
            int start = sorted.get(i);
            while (i + 1 < sorted.size() && sorted.get(i + 1) == sorted.get(i) + 1) {
                i++;
            }
            out.append(out.length() == 0 ? "" : ", ").append(start);
            if (sorted.get(i) != start) {
                out.append('-').append(sorted.get(i));
            }
        }
        return out.length() == 0 ? "none" : out.toString();
    }

    private static String snakeCase(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
