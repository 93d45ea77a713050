package io.moezoo.recipes.language;

import ai.djl.Application;
import ai.djl.Model;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.moezoo.formats.ParameterFile;
import io.moezoo.formats.TensorDType;
import io.moezoo.models.language.DecoderBlockFactory;
import io.moezoo.models.language.DecoderSpec;
import io.moezoo.models.language.MoeCausalLm;
import io.moezoo.translators.text.GeneratedText;
import io.moezoo.zoo.MoeModelZoo;
import io.moezoo.zoo.repository.ArtifactPublisher;
import io.moezoo.zoo.repository.ZooRepository;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Turns the trained Brown language models ({@code tools/train-brown-lm.sh}) into zoo artifacts
 * {@code brown-moe} and {@code brown-dense}: {@code model.json}, F16 {@code model.safetensors}, the
 * cut GPT-2 {@code tokenizer.json} ({@link TruncatedGpt2Bpe}), {@code card.json} and {@code
 * README.md}, then writes their {@code metadata.json}. The held-out perplexity in the card is
 * measured on the F16 artifact as shipped, over the whole held-out split, beside the Kneser-Ney
 * baselines; the repetition of continuations is measured on the published artifact ({@link
 * BrownCard}).
 */
public final class BrownArtifacts {

    /** Artifact version. */
    public static final String VERSION = "0.2.0";

    private BrownArtifacts() {}

    /**
     * Exports both models.
     *
     * @param args {@code CORPUS_JSONL TRAINED_DIR REPOSITORY_ROOT SEED}
     * @throws Exception if files cannot be read or written
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println(
                    "usage: BrownArtifacts CORPUS_JSONL TRAINED_DIR REPOSITORY_ROOT SEED");
            System.exit(2);
        }
        Path corpus = Paths.get(args[0]);
        exportBoth(corpus, Paths.get(args[1]), Paths.get(args[2]), Long.parseLong(args[3]));
    }

    /**
     * Trains both models from scratch and writes them as artifacts (what {@code moe-zoo zoo build}
     * runs for the language family).
     *
     * @param corpus the Brown corpus as JSON lines
     * @param repositoryRoot the repository to write into
     * @param seed the seed
     * @throws Exception if training or writing fails
     */
    public static void build(Path corpus, Path repositoryRoot, long seed) throws Exception {
        BrownSplits split = BrownLanguageModels.tokenize(corpus);
        Path trained = Files.createTempDirectory("brown-lm-");
        try {
            for (DecoderSpec spec :
                    List.of(BrownLanguageModels.moeSpec(), BrownLanguageModels.denseSpec())) {
                BrownLanguageModels.train(spec, split, seed, trained);
            }
            exportBoth(corpus, trained, repositoryRoot, seed);
        } finally {
            deleteTree(trained);
        }
    }

    private static void exportBoth(Path corpus, Path trained, Path root, long seed)
            throws Exception {
        BrownSplits split = BrownLanguageModels.tokenize(corpus);
        BrownNgramBaselines ngram =
                BrownNgramBaselines.measure(split, BrownCard.REEVALUATION_STRIDE);
        System.out.println(ngram.summary());
        BrownCard.Measured dense =
                export(
                        BrownLanguageModels.denseSpec(),
                        corpus,
                        trained,
                        root,
                        split,
                        ngram,
                        seed,
                        null);
        export(BrownLanguageModels.moeSpec(), corpus, trained, root, split, ngram, seed, dense);
    }

    /**
     * Exports one trained model as an artifact, publishes it, continues the held-out prompts with
     * it through the zoo and writes its card.
     *
     * @return the measured numbers of the shipped (F16) artifact
     */
    private static BrownCard.Measured export(
            DecoderSpec spec,
            Path corpus,
            Path trained,
            Path root,
            BrownSplits split,
            BrownNgramBaselines ngram,
            long seed,
            BrownCard.Measured dense)
            throws Exception {
        String id = BrownLanguageModels.id(spec);
        Path dir = artifactDir(root, id);
        Files.createDirectories(dir);
        try (Model model = Model.newInstance(id)) {
            MoeCausalLm block = new MoeCausalLm(spec);
            model.setBlock(block);
            model.load(trained.resolve(id), id);
            ParameterFile.save(
                    block, dir.resolve(DecoderBlockFactory.PARAMETER_FILE), TensorDType.F16);
        }
        Files.writeString(
                dir.resolve(DecoderBlockFactory.SPEC_FILE),
                spec.toJson() + "\n",
                StandardCharsets.UTF_8);
        TruncatedGpt2Bpe.write(dir.resolve("tokenizer.json"), BrownLanguageModels.RECIPE.merges());
        BrownCard.Measured measured = BrownCard.Measured.of(dir, split.test());
        BrownCard.write(dir, id, measured, dense, ngram, null, split, seed);
        publish(root, id);
        BrownContinuations continuations = continuations(corpus, root, id);
        BrownCard.write(dir, id, measured, dense, ngram, continuations, split, seed);
        publish(root, id);
        System.out.printf(
                Locale.ROOT,
                "%s: held-out perplexity %.2f (F16 artifact, whole split); %s%n",
                id,
                measured.perplexity(),
                continuations);
        return measured;
    }

    private static void publish(Path root, String id) throws IOException {
        ArtifactPublisher.publish(
                root, Application.NLP.TEXT_GENERATION, MoeModelZoo.GROUP_ID, id, VERSION);
    }

    /**
     * Continues the held-out prompts with a published artifact, loaded from the repository as users
     * load it (its card's generation arguments, {@value BrownContinuations#NEW_TOKENS} new tokens).
     *
     * @param corpus the Brown corpus
     * @param root the repository root
     * @param id the artifact
     * @return the repetition measures
     * @throws Exception if the artifact cannot be loaded or generation fails
     */
    static BrownContinuations continuations(Path corpus, Path root, String id) throws Exception {
        Path cache = Files.createTempDirectory("brown-zoo-");
        MoeModelZoo zoo =
                new MoeModelZoo(ZooRepository.of(root.toUri().toString()).cachedIn(cache));
        try (ZooModel<String, GeneratedText> model = generator(zoo, id, null).loadModel();
                ZooModel<String, GeneratedText> plain = generator(zoo, id, 1f).loadModel();
                Predictor<String, GeneratedText> generator = model.newPredictor();
                Predictor<String, GeneratedText> greedy = plain.newPredictor();
                HuggingFaceTokenizer tokenizer =
                        TruncatedGpt2Bpe.load(BrownLanguageModels.RECIPE.merges())) {
            return BrownContinuations.measure(
                    generator, greedy, BrownContinuations.prompts(corpus, tokenizer));
        } finally {
            deleteTree(cache);
        }
    }

    /**
     * The criteria of a Brown generator with {@value BrownContinuations#NEW_TOKENS} new tokens.
     *
     * @param zoo the zoo (null: the one registered with DJL)
     * @param id the artifact
     * @param repetitionPenalty a penalty overriding the card's, or null for the card's arguments
     * @return the criteria
     */
    static Criteria<String, GeneratedText> generator(
            MoeModelZoo zoo, String id, Float repetitionPenalty) {
        Criteria.Builder<String, GeneratedText> builder =
                Criteria.builder()
                        .setTypes(String.class, GeneratedText.class)
                        .optGroupId(MoeModelZoo.GROUP_ID)
                        .optArtifactId(id)
                        .optArgument("maxNewTokens", BrownContinuations.NEW_TOKENS);
        if (zoo != null) {
            builder.optModelZoo(zoo);
        }
        if (repetitionPenalty != null) {
            builder.optArgument("repetitionPenalty", repetitionPenalty);
        }
        return builder.build();
    }

    /** Deletes a temporary directory and everything below it. */
    /**
     * Deletes a directory and everything below it.
     *
     * @param root the directory
     * @throws IOException if it cannot be listed
     */
    public static void deleteTree(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    /**
     * The version directory of an artifact in a repository tree.
     *
     * @param root the repository root
     * @param id {@code brown-moe} or {@code brown-dense}
     * @return the directory
     */
    static Path artifactDir(Path root, String id) {
        return root.resolve(
                        ZooRepository.metadataDirectory(
                                Application.NLP.TEXT_GENERATION, MoeModelZoo.GROUP_ID, id))
                .resolve(VERSION);
    }
}
