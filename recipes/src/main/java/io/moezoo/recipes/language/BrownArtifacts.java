package io.moezoo.recipes.language;

import ai.djl.Application;
import ai.djl.Model;
import io.moezoo.formats.ParameterFile;
import io.moezoo.formats.TensorDType;
import io.moezoo.models.language.DecoderBlockFactory;
import io.moezoo.models.language.DecoderSpec;
import io.moezoo.models.language.MoeCausalLm;
import io.moezoo.zoo.MoeModelZoo;
import io.moezoo.zoo.repository.ArtifactPublisher;
import io.moezoo.zoo.repository.ZooRepository;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * Turns the trained Brown language models ({@code tools/train-brown-lm.sh}) into zoo artifacts
 * {@code brown-moe} and {@code brown-dense}: {@code model.json}, F16 {@code model.safetensors}, the
 * GPT-2 {@code tokenizer.json}, {@code card.json} and {@code README.md}, then writes their {@code
 * metadata.json}. The held-out perplexity in the card is measured on the F16 artifact as shipped,
 * over the whole held-out split, beside the Kneser-Ney baselines ({@link BrownCard}).
 */
public final class BrownArtifacts {

    /** Artifact version. */
    public static final String VERSION = "0.1.0";

    private BrownArtifacts() {}

    /**
     * Exports both models.
     *
     * @param args {@code CORPUS_JSONL TRAINED_DIR REPOSITORY_ROOT STEPS SEED}
     * @throws Exception if files cannot be read or written
     */
    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println(
                    "usage: BrownArtifacts CORPUS_JSONL TRAINED_DIR REPOSITORY_ROOT STEPS SEED");
            System.exit(2);
        }
        long[][] split = BrownLanguageModels.tokenize(Paths.get(args[0]));
        Path trained = Paths.get(args[1]);
        Path root = Paths.get(args[2]);
        int steps = Integer.parseInt(args[3]);
        long seed = Long.parseLong(args[4]);
        BrownCard.Measured dense =
                export(BrownLanguageModels.denseSpec(), trained, root, split, steps, seed, null);
        export(BrownLanguageModels.moeSpec(), trained, root, split, steps, seed, dense);
    }

    /**
     * Trains both models from scratch and writes them as artifacts (what {@code moe-zoo zoo build}
     * runs for the language family).
     *
     * @param corpus the Brown corpus as JSON lines
     * @param repositoryRoot the repository to write into
     * @param steps optimiser steps per model
     * @param seed the seed
     * @throws Exception if training or writing fails
     */
    public static void build(Path corpus, Path repositoryRoot, int steps, long seed)
            throws Exception {
        long[][] split = BrownLanguageModels.tokenize(corpus);
        Path trained = Files.createTempDirectory("brown-lm-");
        try {
            for (DecoderSpec spec :
                    List.of(BrownLanguageModels.moeSpec(), BrownLanguageModels.denseSpec())) {
                BrownLanguageModels.train(spec, split, steps, seed, trained);
            }
            BrownCard.Measured dense =
                    export(
                            BrownLanguageModels.denseSpec(),
                            trained,
                            repositoryRoot,
                            split,
                            steps,
                            seed,
                            null);
            export(
                    BrownLanguageModels.moeSpec(),
                    trained,
                    repositoryRoot,
                    split,
                    steps,
                    seed,
                    dense);
        } finally {
            try (var walk = Files.walk(trained)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Exports one trained model as an artifact and writes its card.
     *
     * @return the measured numbers of the shipped (F16) artifact
     */
    private static BrownCard.Measured export(
            DecoderSpec spec,
            Path trained,
            Path root,
            long[][] split,
            int steps,
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
        try (InputStream in =
                BrownLanguageModels.class.getResourceAsStream("gpt2/tokenizer.json")) {
            if (in == null) {
                throw new IOException("GPT-2 tokenizer.json resource is missing");
            }
            Files.copy(in, dir.resolve("tokenizer.json"), StandardCopyOption.REPLACE_EXISTING);
        }
        BrownCard.Measured measured = BrownCard.Measured.of(dir, split[1]);
        BrownNgramBaselines ngram =
                BrownNgramBaselines.measure(split, steps, seed, BrownCard.REEVALUATION_STRIDE);
        BrownCard.write(dir, id, measured, dense, ngram, split, steps, seed);
        ArtifactPublisher.publish(
                root, Application.NLP.TEXT_GENERATION, MoeModelZoo.GROUP_ID, id, VERSION);
        System.out.printf(
                Locale.ROOT,
                "%s: held-out perplexity %.2f (F16 artifact, whole split); %s%n",
                id,
                measured.perplexity(),
                ngram.summary());
        return measured;
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
