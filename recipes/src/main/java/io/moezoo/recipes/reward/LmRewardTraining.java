package io.moezoo.recipes.reward;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.formats.ParameterFile;
import io.moezoo.models.language.DecoderBlockFactory;
import io.moezoo.models.language.DecoderSpec;
import io.moezoo.models.reward.LanguageModelFeatures;
import io.moezoo.models.reward.LmDoubleLayerRewardModel;
import io.moezoo.models.reward.LmRewardSpec;
import io.moezoo.recipes.language.BrownLanguageModels;
import io.moezoo.translators.reward.InvalidRewardInputException;
import io.moezoo.translators.reward.RewardTokenEncoding;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Trains {@code dmoerm-brown} 0.2.0: a {@link LmDoubleLayerRewardModel} over the frozen {@code
 * brown-moe} 0.2.0 language model, on the preference pairs {@link RewardModelTraining} builds (same
 * builder, seed and held-out pairs; the language model never saw the held-out files).
 *
 * <p>Splits by Brown file index: 9 mod 10 held out (the card's test pairs), 8 mod 10 validation
 * (files brown-moe did not train on either), the rest training. The head recipe (expert width,
 * steps, learning rate) is chosen on the validation pairs from {@link #CANDIDATES}; the chosen one
 * is retrained on the training pairs with the seed and measured once on the held-out pairs.
 */
public final class LmRewardTraining {

    /** The version this recipe writes. */
    public static final String VERSION = "0.2.0";

    /** The base model's zoo id. */
    public static final String BASE_MODEL = "io.moezoo:brown-moe:0.2.0";

    static final int MAX_PROMPT_TOKENS = 64;
    static final int MAX_RESPONSE_TOKENS = 64;
    static final int BOUNDARY_TOKENS = 4;
    static final int TAIL_TOKENS = 8;
    static final int ROUTER_STEPS = 400;
    static final float ROUTER_LEARNING_RATE = 1e-2f;

    /** One head recipe. */
    record HeadRecipe(
            int expertWidth,
            int headHidden,
            int steps,
            float learningRate,
            boolean routedAggregators) {
        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "E=%d A=%d steps=%d lr=%.0e aggregators on %s categories",
                    expertWidth,
                    headHidden,
                    steps,
                    learningRate,
                    routedAggregators ? "routed" : "true");
        }
    }

    /** The head recipes tried on the validation pairs. */
    static final List<HeadRecipe> CANDIDATES =
            List.of(
                    new HeadRecipe(8, 16, 600, 3e-3f, false),
                    new HeadRecipe(4, 16, 1500, 3e-3f, false),
                    new HeadRecipe(8, 16, 1500, 3e-3f, false),
                    new HeadRecipe(8, 32, 3000, 3e-3f, false),
                    new HeadRecipe(16, 32, 3000, 1e-3f, false),
                    new HeadRecipe(8, 16, 1500, 3e-3f, true),
                    new HeadRecipe(16, 32, 3000, 1e-3f, true));

    /** The pairs of the three splits and their cached features. */
    record Data(
            List<RewardPair> train,
            List<RewardPair> validation,
            List<RewardPair> heldOut,
            LmFeatureCache trainFeatures,
            LmFeatureCache validationFeatures,
            LmFeatureCache heldOutFeatures) {}

    private LmRewardTraining() {}

    /**
     * The spec of a head recipe.
     *
     * @param recipe the head recipe
     * @return the spec
     */
    static LmRewardSpec spec(HeadRecipe recipe) {
        List<String> objectives = new ArrayList<>();
        for (CapabilityDimension d : CapabilityDimension.values()) {
            objectives.add(d.id());
        }
        List<String> categories = new ArrayList<>();
        for (GenreCategory g : GenreCategory.values()) {
            categories.add(g.id());
        }
        return new LmRewardSpec(
                LmRewardSpec.DMOERM_LM,
                BASE_MODEL,
                objectives,
                categories,
                recipe.expertWidth(),
                recipe.headHidden(),
                MAX_PROMPT_TOKENS,
                MAX_RESPONSE_TOKENS,
                BOUNDARY_TOKENS,
                TAIL_TOKENS,
                BrownLanguageModels.endOfText());
    }

    /**
     * Creates a model with the base language model's weights loaded and fresh heads.
     *
     * @param manager the manager owning the parameters
     * @param spec the spec
     * @param baseDir the brown-moe artifact directory
     * @param seed seeds the heads' initialisation
     * @return the model
     * @throws IOException if the base files cannot be read
     */
    static LmDoubleLayerRewardModel newModel(
            NDManager manager, LmRewardSpec spec, Path baseDir, long seed) throws IOException {
        DecoderSpec base = baseSpec(baseDir);
        LmDoubleLayerRewardModel model = new LmDoubleLayerRewardModel(spec, base);
        ai.djl.engine.Engine.getInstance().setRandomSeed((int) seed);
        Shape s = new Shape(1, spec.sequenceLength());
        model.initialize(manager, DataType.FLOAT32, s, s, s);
        loadBase(model.getFeatures(), baseDir);
        return model;
    }

    /** Loads brown-moe's weights into the (initialised) feature block's language model. */
    static void loadBase(LanguageModelFeatures features, Path baseDir) throws IOException {
        try {
            ParameterFile.load(
                    features.getLanguageModel(),
                    baseDir.resolve(DecoderBlockFactory.PARAMETER_FILE));
        } catch (MalformedCheckpointException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    static DecoderSpec baseSpec(Path baseDir) throws IOException {
        return DecoderSpec.fromJson(
                Files.readString(
                        baseDir.resolve(DecoderBlockFactory.SPEC_FILE), StandardCharsets.UTF_8));
    }

    /**
     * Builds the pairs and computes (or reads back) their features.
     *
     * @param root the manager
     * @param corpus the Brown JSON lines
     * @param baseDir the brown-moe artifact directory
     * @param cacheDir where features are kept between runs (keyed by seed), or null
     * @param seed the pair seed
     * @return the data
     * @throws IOException if a file cannot be read
     */
    static Data data(NDManager root, Path corpus, Path baseDir, Path cacheDir, long seed)
            throws IOException {
        List<BrownDocument> docs = BrownDocument.load(corpus);
        Map<String, Integer> index = new LinkedHashMap<>();
        for (BrownDocument d : docs) {
            index.put(d.file(), d.index());
        }
        PreferencePairBuilder builder =
                new PreferencePairBuilder(
                        RewardModelTraining.MAX_PROMPT_BYTES,
                        RewardModelTraining.MAX_RESPONSE_BYTES,
                        RewardModelTraining.PAIRS_PER_FILE);
        List<RewardPair> train = new ArrayList<>();
        List<RewardPair> validation = new ArrayList<>();
        for (RewardPair p : builder.build(docs, false, seed)) {
            (index.get(p.file()) % 10 == 8 ? validation : train).add(p);
        }
        List<RewardPair> heldOut = builder.build(docs, true, seed);
        LmRewardSpec spec = spec(CANDIDATES.get(0));
        LmDoubleLayerRewardModel model = newModel(root, spec, baseDir, seed);
        try (HuggingFaceTokenizer tokenizer =
                HuggingFaceTokenizer.builder()
                        .optTokenizerPath(baseDir.resolve("tokenizer.json"))
                        .optAddSpecialTokens(false)
                        .optTruncation(false)
                        .build()) {
            RewardTokenEncoding encoding =
                    new RewardTokenEncoding(
                            tokenizer, MAX_PROMPT_TOKENS, MAX_RESPONSE_TOKENS, spec.startToken());
            return new Data(
                    train,
                    validation,
                    heldOut,
                    cached(root, model, encoding, train, "train", cacheDir, seed),
                    cached(root, model, encoding, validation, "validation", cacheDir, seed),
                    cached(root, model, encoding, heldOut, "held-out", cacheDir, seed));
        } catch (InvalidRewardInputException e) {
            throw new IOException("A pair does not fit the encoding: " + e.getMessage(), e);
        }
    }

    private static LmFeatureCache cached(
            NDManager root,
            LmDoubleLayerRewardModel model,
            RewardTokenEncoding encoding,
            List<RewardPair> pairs,
            String label,
            Path cacheDir,
            long seed)
            throws IOException, InvalidRewardInputException {
        Path file =
                cacheDir == null
                        ? null
                        : cacheDir.resolve("lm-reward-" + label + "-" + seed + ".bin");
        if (file != null && Files.isRegularFile(file)) {
            LmFeatureCache c = LmFeatureFile.read(file);
            if (c.promptStates().length == pairs.size()) {
                return c;
            }
        }
        LmFeatureCache c =
                LmFeatureCache.compute(root, model.getFeatures(), encoding, pairs, label);
        if (file != null) {
            Files.createDirectories(cacheDir);
            LmFeatureFile.write(file, c);
        }
        return c;
    }

    /**
     * Trains a model's heads on the training pairs.
     *
     * @return the model
     */
    static LmDoubleLayerRewardModel trainHeads(
            NDManager root, Data data, HeadRecipe recipe, Path baseDir, long seed)
            throws IOException {
        LmDoubleLayerRewardModel model = newModel(root, spec(recipe), baseDir, seed);
        float[][] standardization = Standardization.of(data.trainFeatures().statistics());
        model.setStandardization(standardization[0], standardization[1]);
        Random rng = new Random(seed);
        LmRewardStages.trainRouter(
                root,
                model,
                data.trainFeatures(),
                data.train(),
                ROUTER_STEPS,
                ROUTER_LEARNING_RATE,
                rng);
        float experts =
                LmRewardStages.trainExperts(
                        root,
                        model,
                        data.trainFeatures(),
                        data.train(),
                        recipe.steps(),
                        recipe.learningRate(),
                        rng);
        float aggregators =
                LmRewardStages.trainAggregators(
                        root,
                        model,
                        data.trainFeatures(),
                        data.train(),
                        recipe.routedAggregators()
                                ? LmRewardStages.routedCategories(
                                        root, model, data.trainFeatures(), data.train().size())
                                : LmRewardStages.trueCategories(data.train()),
                        recipe.steps(),
                        recipe.learningRate(),
                        rng);
        System.err.printf(
                Locale.ROOT,
                "%s: final expert loss %.3f, aggregator loss %.3f%n",
                recipe,
                experts,
                aggregators);
        return model;
    }

    /**
     * Tries every candidate on the validation pairs and prints the results.
     *
     * @param args {@code [SEED [BASE_MODEL_DIR]]} (42; brown-moe in the embedded repository
     *     sources)
     * @throws Exception if data is missing or training fails
     */
    public static void main(String[] args) throws Exception {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : RewardModelTraining.SEED;
        Path baseDir =
                args.length > 1
                        ? Path.of(args[1])
                        : LmRewardArtifact.baseDir(LmRewardArtifact.EMBEDDED_SOURCES);
        try (NDManager root = NDManager.newBaseManager()) {
            Data data =
                    data(
                            root,
                            io.moezoo.recipes.data.DataSets.brownJsonl(),
                            baseDir,
                            Path.of("target/lm-reward-cache"),
                            seed);
            System.out.printf(
                    Locale.ROOT,
                    "pairs: train %d, validation %d, held-out %d%n",
                    data.train().size(),
                    data.validation().size(),
                    data.heldOut().size());
            for (HeadRecipe r : CANDIDATES) {
                try (NDManager scope = root.newSubManager()) {
                    LmDoubleLayerRewardModel model = trainHeads(scope, data, r, baseDir, seed);
                    RewardEvaluation v =
                            LmRewardStages.evaluate(
                                    scope, model, data.validationFeatures(), data.validation());
                    System.out.printf(Locale.ROOT, "%s validation %s%n", r, v.metrics());
                }
            }
        }
    }
}
