package io.moezoo.recipes.reward;

import static io.moezoo.recipes.reward.ArmormStages.fitRegression;
import static io.moezoo.recipes.reward.ArmormStages.trainGating;
import static io.moezoo.recipes.reward.DmoermStages.trainAggregators;
import static io.moezoo.recipes.reward.DmoermStages.trainDense;
import static io.moezoo.recipes.reward.DmoermStages.trainExperts;
import static io.moezoo.recipes.reward.DmoermStages.trainRouter;
import static io.moezoo.recipes.reward.EncoderPretraining.copyEncoder;
import static io.moezoo.recipes.reward.EncoderPretraining.copyLastFfn;
import static io.moezoo.recipes.reward.EncoderPretraining.pretrain;
import static io.moezoo.recipes.reward.RewardCards.countParameters;
import static io.moezoo.recipes.reward.RewardCards.writeArtifact;
import static io.moezoo.recipes.reward.RewardCards.writeCard;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.moezoo.models.reward.ArmoRewardModel;
import io.moezoo.models.reward.DenseRewardModel;
import io.moezoo.models.reward.DoubleLayerMoeRewardModel;
import io.moezoo.models.reward.EncoderSpec;
import io.moezoo.models.reward.FrozenByteEncoder;
import io.moezoo.models.reward.RewardModelSpec;
import io.moezoo.recipes.data.DataSets;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Trains the zoo's reward models from scratch on the Brown corpus and writes the {@code
 * dmoerm-brown} and {@code armorm-brown} artifacts; a dense baseline is trained with the same
 * recipe and reported beside them.
 *
 * <ol>
 *   <li>Pre-train the byte-level encoder ({@link #ENCODER}) as a causal LM on the training files
 *       (every file except index ≡ 9 mod 10, name order), then freeze it.
 *   <li>Build preference pairs ({@link PreferencePairBuilder}, {@value #PAIRS_PER_FILE} per file
 *       and dimension) and run the frozen encoder once over all responses, caching the residual
 *       stream before the last FFN at the response positions and the pooled prompt and response
 *       states (valid because only the last FFN is adapted).
 *   <li>DMoERM: (a) outer router = softmax classifier of the genre category on the pooled prompt
 *       states, cross-entropy; (b) phase 2: each LoRA expert (category g, dimension c) with its own
 *       value head, trained alone on the pairs of category g and dimension c with the pairwise
 *       loss; (c) phase 3: experts frozen, each category's aggregation MLP trained on all of the
 *       category's pairs. DMoERM's phase 1 (fine-tuning the whole base per category) is skipped:
 *       the base stays frozen.
 *   <li>Dense baseline: one LoRA adapter of rank G·C·r (as many parameters as all experts) plus an
 *       MLP head, trained end to end on all pairs for as many steps as phase 2 in total.
 *   <li>ArmoRM: ridge regression per objective (α from 10⁻⁴…10⁴ by validation MSE on the pairs of
 *       one fifth of the training files, those whose name's {@code hashCode} ≡ 4 mod 5; then refit
 *       on all), identity transform, then the gating network with the pairwise loss, Adam and a
 *       cosine schedule.
 *   <li>Save the artifacts (F16), reload each through DJL's {@code Criteria} and measure the card
 *       metrics on all held-out pairs with {@link RewardEvaluator}.
 * </ol>
 *
 * <p>Optimiser everywhere: Adam; learning rates: {@value #LEARNING_RATE} for the gating network
 * (cosine to 0, as ArmoRM), {@value #ADAPTER_LEARNING_RATE} for LoRA experts, the dense adapter and
 * its head, {@value #HEAD_LEARNING_RATE} for the aggregation MLPs, {@value #ROUTER_LEARNING_RATE}
 * for the router; batch {@value #PAIR_BATCH} pairs for LoRA training. The reference learning rates
 * (DMoERM 1e-7…5e-5 for a 1.8B model) do not transfer to a 100k-parameter encoder trained from
 * scratch.
 */
public final class RewardModelTraining {

    /** The default seed. */
    public static final long SEED = 42L;

    /** Prompt bytes the models read. */
    public static final int MAX_PROMPT_BYTES = 64;

    /** Largest response in bytes. */
    public static final int MAX_RESPONSE_BYTES = 64;

    /** Pairs per file and dimension. */
    public static final int PAIRS_PER_FILE = 6;

    /** The frozen byte-level encoder. */
    public static final EncoderSpec ENCODER = new EncoderSpec(64, 2, 4, 128, 10000.0, 1e-5f);

    /** LoRA rank of each DMoERM expert. */
    public static final int EXPERT_RANK = 4;

    /** Learning rate of every stage. */
    public static final float LEARNING_RATE = 1e-3f;

    /** Learning rate of LoRA adapters (DMoERM experts, dense baseline) and the dense head. */
    public static final float ADAPTER_LEARNING_RATE = 5e-3f;

    /** Learning rate of DMoERM's aggregation MLPs. */
    public static final float HEAD_LEARNING_RATE = 3e-3f;

    /** Learning rate of DMoERM's outer router. */
    public static final float ROUTER_LEARNING_RATE = 1e-2f;

    /** Pairs per LoRA training step. */
    public static final int PAIR_BATCH = 16;

    static final int LM_STEPS = 1000;
    static final int LM_BATCH = 16;
    static final float LM_LEARNING_RATE = 2e-3f;
    static final int ROUTER_STEPS = 1000;
    static final int EXPERT_STEPS = 160;
    static final int AGGREGATOR_STEPS = 1000;
    static final int AGGREGATOR_BATCH = 64;
    static final int AGGREGATOR_HIDDEN = 64;
    static final int GATING_STEPS = 1000;
    static final int GATING_BATCH = 512;
    static final int GATING_HIDDEN = 128;
    static final int ENCODE_BATCH = 64;

    static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private RewardModelTraining() {}

    /**
     * The spec of the shipped DMoERM model.
     *
     * @return the spec
     */
    public static RewardModelSpec dmoermSpec() {
        return new RewardModelSpec(
                RewardModelSpec.DMOERM,
                ENCODER,
                objectiveNames(),
                Arrays.stream(GenreCategory.values()).map(GenreCategory::id).toList(),
                EXPERT_RANK,
                2 * EXPERT_RANK,
                AGGREGATOR_HIDDEN,
                0,
                0f,
                MAX_PROMPT_BYTES,
                MAX_RESPONSE_BYTES);
    }

    /**
     * The spec of the dense baseline: rank G·C·r and an MLP head as wide as needed to match
     * DMoERM's value heads plus aggregators.
     *
     * @return the spec
     */
    public static RewardModelSpec denseSpec() {
        int g = GenreCategory.values().length;
        int c = CapabilityDimension.values().length;
        int h = ENCODER.hiddenSize();
        long dmoermHead =
                (long) g * c * (h + 1) + (long) g * (AGGREGATOR_HIDDEN * (c * h + 2L) + 2);
        int width = Math.toIntExact(Math.round((dmoermHead - 2) / (double) (h + 2)));
        return new RewardModelSpec(
                RewardModelSpec.DENSE,
                ENCODER,
                List.of("overall"),
                List.of(),
                g * c * EXPERT_RANK,
                2 * g * c * EXPERT_RANK,
                width,
                0,
                0f,
                MAX_PROMPT_BYTES,
                MAX_RESPONSE_BYTES);
    }

    /**
     * The spec of the shipped ArmoRM model.
     *
     * @return the spec
     */
    public static RewardModelSpec armormSpec() {
        return new RewardModelSpec(
                RewardModelSpec.ARMORM,
                ENCODER,
                objectiveNames(),
                List.of(),
                0,
                0f,
                GATING_HIDDEN,
                3,
                10f,
                MAX_PROMPT_BYTES,
                MAX_RESPONSE_BYTES);
    }

    static List<String> objectiveNames() {
        return Arrays.stream(CapabilityDimension.values()).map(CapabilityDimension::id).toList();
    }

    /**
     * The result of a training run.
     *
     * @param dmoerm DMoERM's held-out metrics (from the reloaded artifact)
     * @param armorm ArmoRM's held-out metrics (from the reloaded artifact)
     * @param dense the dense baseline's held-out metrics
     * @param ngram the n-gram baselines' held-out metrics by key ({@link NgramRewardBaseline})
     * @param parameters total and activated parameter counts per model
     * @param seconds the wall-clock duration
     */
    public record Report(
            Map<String, Double> dmoerm,
            Map<String, Double> armorm,
            Map<String, Double> dense,
            Map<String, Map<String, Double>> ngram,
            Map<String, Long> parameters,
            double seconds) {}

    /**
     * Command line: {@code [DMOERM_DIR ARMORM_DIR] [SEED]}; the directories default to the artifact
     * directories under {@code zoo-weights/src/main/resources}.
     *
     * @param args the arguments
     * @throws Exception if training fails
     */
    public static void main(String[] args) throws Exception {
        Path root =
                Paths.get(
                        "zoo-weights/src/main/resources/io/moezoo/zoo/repository/model/nlp/text_classification/io/moezoo");
        Path dmoerm = args.length >= 2 ? Paths.get(args[0]) : root.resolve("dmoerm-brown/0.1.0");
        Path armorm = args.length >= 2 ? Paths.get(args[1]) : root.resolve("armorm-brown/0.1.0");
        long seed =
                args.length == 1
                        ? Long.parseLong(args[0])
                        : args.length >= 3 ? Long.parseLong(args[2]) : SEED;
        Report report = train(dmoerm, armorm, seed);
        System.out.println(GSON.toJson(report));
    }

    /**
     * Trains everything from scratch and writes both artifact directories.
     *
     * @param dmoermDir where to write the {@code dmoerm-brown} artifact
     * @param armormDir where to write the {@code armorm-brown} artifact
     * @param seed the seed
     * @return the report
     * @throws IOException if data cannot be read or artifacts written
     */
    public static Report train(Path dmoermDir, Path armormDir, long seed) throws IOException {
        long started = System.nanoTime();
        Path corpus = DataSets.brownJsonl();
        List<BrownDocument> docs = BrownDocument.load(corpus);
        Engine.getInstance().setRandomSeed((int) seed);
        try (NDManager root = NDManager.newBaseManager()) {
            FrozenByteEncoder encoder = new FrozenByteEncoder(ENCODER);
            pretrain(root, encoder, docs, seed);
            log(started, "encoder pre-trained");
            PreferencePairBuilder builder =
                    new PreferencePairBuilder(MAX_PROMPT_BYTES, MAX_RESPONSE_BYTES, PAIRS_PER_FILE);
            List<RewardPair> train = builder.build(docs, false, seed);
            List<RewardPair> heldOut = builder.build(docs, true, seed);
            log(started, train.size() + " training pairs, " + heldOut.size() + " held-out pairs");
            Map<String, Map<String, Double>> ngramMetrics;
            try (NgramRewardBaseline ngram = NgramRewardBaseline.train(docs)) {
                ngramMetrics = ngram.evaluateBoth(heldOut);
            } catch (io.moezoo.translators.reward.InvalidRewardInputException e) {
                throw new IOException("A held-out pair cannot be scored: " + e.getMessage(), e);
            }
            log(started, "n-gram baseline: " + ngramMetrics);

            DoubleLayerMoeRewardModel dmoerm = new DoubleLayerMoeRewardModel(dmoermSpec());
            ArmoRewardModel armorm = new ArmoRewardModel(armormSpec());
            DenseRewardModel dense = new DenseRewardModel(denseSpec());
            for (Block b : List.of(dmoerm, armorm, dense)) {
                Shape s = new Shape(1, MAX_PROMPT_BYTES + MAX_RESPONSE_BYTES);
                b.initialize(root, DataType.FLOAT32, s, s, s);
            }
            copyEncoder(encoder, dmoerm.getEncoder());
            copyEncoder(encoder, armorm.getEncoder());
            copyEncoder(encoder, dense.getEncoder());
            copyLastFfn(
                    encoder,
                    dmoerm.getExperts().getBase(0),
                    dmoerm.getExperts().getBase(1),
                    dmoerm.getExperts().getBase(2));
            copyLastFfn(
                    encoder,
                    dense.getAdapter().getBase(0),
                    dense.getAdapter().getBase(1),
                    dense.getAdapter().getBase(2));
            for (Block b : List.of(dmoerm.getEncoder(), armorm.getEncoder(), dense.getEncoder())) {
                b.freezeParameters(true);
            }

            ResponseCache trainCache = ResponseCache.encode(root, dmoerm.getEncoder(), train);
            ResponseCache heldOutCache = ResponseCache.encode(root, dmoerm.getEncoder(), heldOut);
            log(started, "responses encoded");
            Random rng = new Random(seed);

            trainRouter(root, dmoerm, trainCache, train, rng);
            log(started, "router trained");
            trainExperts(root, dmoerm, trainCache, train, rng);
            log(started, "experts trained");
            trainAggregators(root, dmoerm, trainCache, train, rng);
            log(started, "aggregators trained");
            Map<String, Double> denseMetrics =
                    trainDense(root, dense, trainCache, heldOutCache, train, heldOut, rng);
            log(started, "dense baseline trained: " + denseMetrics);
            fitRegression(root, armorm, trainCache, train);
            trainGating(root, armorm, trainCache, train, rng);
            log(started, "ArmoRM trained");

            Map<String, Long> parameters = new LinkedHashMap<>();
            countParameters(dmoerm, dense, armorm, parameters);
            trainCache.close();
            heldOutCache.close();

            Map<String, Double> dmoermMetrics;
            Map<String, Double> armormMetrics;
            try {
                writeArtifact(dmoermDir, "dmoerm-brown", dmoerm.getSpec(), dmoerm);
                writeArtifact(armormDir, "armorm-brown", armorm.getSpec(), armorm);
                dmoermMetrics = RewardEvaluator.evaluate(dmoermDir, heldOut).metrics();
                armormMetrics = RewardEvaluator.evaluate(armormDir, heldOut).metrics();
            } catch (ai.djl.MalformedModelException
                    | ai.djl.repository.zoo.ModelNotFoundException
                    | ai.djl.translate.TranslateException e) {
                throw new IOException("Reloading the artifacts failed: " + e.getMessage(), e);
            }
            log(started, "artifacts evaluated");
            double seconds = (System.nanoTime() - started) / 1e9;
            Report report =
                    new Report(
                            dmoermMetrics,
                            armormMetrics,
                            denseMetrics,
                            ngramMetrics,
                            parameters,
                            seconds);
            writeCard(
                    dmoermDir,
                    "dmoerm-brown",
                    dmoerm.getSpec(),
                    report,
                    dmoermMetrics,
                    seed,
                    train.size(),
                    heldOut,
                    parameters.get("dmoerm_total"),
                    parameters.get("dmoerm_activated"));
            writeCard(
                    armormDir,
                    "armorm-brown",
                    armorm.getSpec(),
                    report,
                    armormMetrics,
                    seed,
                    train.size(),
                    heldOut,
                    parameters.get("armorm_total"),
                    parameters.get("armorm_total"));
            return report;
        }
    }

    private static void log(long started, String message) {
        System.err.printf(
                Locale.ROOT, "[%6.0f s] %s%n", (System.nanoTime() - started) / 1e9, message);
    }
}
