package io.moezoo.cli;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.moezoo.translators.reward.PreferencePair;
import io.moezoo.translators.reward.PreferenceProbability;
import io.moezoo.translators.reward.RewardInput;
import io.moezoo.translators.reward.RewardScore;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code moe-zoo reward}: scores a response to a prompt, or compares two responses, with a zoo
 * reward model; prints JSON.
 */
@Command(
        name = "reward",
        mixinStandardHelpOptions = true,
        description = {
            "Score a response (--response) or the preference between two responses (--chosen,"
                    + " --rejected) to a prompt with a zoo reward model; prints JSON.",
            "Models: dmoerm-brown (default; routed category and per-capability scores),"
                    + " armorm-brown (gating weights over objectives)."
        })
final class RewardCommand implements Callable<Integer> {

    @Option(names = "--prompt", required = true, description = "The prompt (context).")
    String prompt;

    @Option(names = "--response", description = "A response to score.")
    String response;

    @Option(names = "--chosen", description = "Response A of a pair.")
    String chosen;

    @Option(names = "--rejected", description = "Response B of a pair.")
    String rejected;

    @Option(
            names = "--model",
            defaultValue = "dmoerm-brown",
            description = "Zoo model id (default ${DEFAULT-VALUE}).")
    String model;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        boolean single = response != null;
        boolean pair = chosen != null || rejected != null;
        if (single == pair || (pair && (chosen == null || rejected == null))) {
            throw new IllegalArgumentException(
                    "give either --response, or both --chosen and --rejected");
        }
        ZooCriteria.requireModel(model, "reward");
        JsonObject result = new JsonObject();
        result.addProperty("model", model);
        if (single) {
            try (ZooModel<RewardInput, RewardScore> m = load(RewardInput.class, RewardScore.class);
                    Predictor<RewardInput, RewardScore> p = m.newPredictor()) {
                result.add("reward", json(p.predict(new RewardInput(prompt, response))));
            }
        } else {
            try (ZooModel<PreferencePair, PreferenceProbability> m =
                            load(PreferencePair.class, PreferenceProbability.class);
                    Predictor<PreferencePair, PreferenceProbability> p = m.newPredictor()) {
                PreferenceProbability r = p.predict(new PreferencePair(prompt, chosen, rejected));
                result.addProperty("probabilityChosenPreferred", r.probability());
                result.add("chosen", json(r.chosen()));
                result.add("rejected", json(r.rejected()));
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(new GsonBuilder().setPrettyPrinting().create().toJson(result));
        return 0;
    }

    private <I, O> ZooModel<I, O> load(Class<I> in, Class<O> out) throws Exception {
        return ZooCriteria.of(model, in, out).build().loadModel();
    }

    private static JsonObject json(RewardScore s) {
        JsonObject o = new JsonObject();
        o.addProperty("score", s.score());
        o.add("objectiveScores", map(s.objectiveScores()));
        if (!s.objectiveWeights().isEmpty()) {
            o.add("objectiveWeights", map(s.objectiveWeights()));
        }
        if (s.category() != null) {
            o.addProperty("category", s.category());
            o.add("categoryProbabilities", map(s.categoryProbabilities()));
        }
        return o;
    }

    private static JsonObject map(Map<String, Float> m) {
        JsonObject o = new JsonObject();
        m.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> o.addProperty(e.getKey(), e.getValue()));
        return o;
    }
}
