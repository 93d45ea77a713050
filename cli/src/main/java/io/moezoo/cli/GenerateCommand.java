package io.moezoo.cli;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.moezoo.translators.text.GeneratedText;
import io.moezoo.translators.text.GenerationConfig;
import io.moezoo.translators.text.TextGenerationTranslator;
import io.moezoo.zoo.ZooCatalog;
import io.moezoo.zoo.language.HfBlockFactory;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code moe-zoo generate DIR PROMPT}: prints the continuation of a prompt, streaming tokens. */
@Command(
        name = "generate",
        mixinStandardHelpOptions = true,
        description =
                "Continue a prompt with a zoo language model or a Hugging Face MoE checkpoint (config.json, safetensors, tokenizer.json).")
final class GenerateCommand implements Callable<Integer> {

    @Parameters(
            index = "0",
            paramLabel = "MODEL",
            description = "A Hugging Face checkpoint directory or a zoo model id (e.g. brown-moe).")
    String model;

    @Parameters(index = "1", paramLabel = "PROMPT", description = "The prompt text.")
    String prompt;

    @Option(
            names = "--max-new-tokens",
            defaultValue = "32",
            description = "Maximum generated tokens (default ${DEFAULT-VALUE}).")
    int maxNewTokens;

    @Option(
            names = "--temperature",
            defaultValue = "0",
            description = "0 for greedy decoding (default), else the sampling temperature.")
    float temperature;

    @Option(
            names = "--top-k",
            defaultValue = "0",
            description = "Sample from the k most likely tokens (0 = all).")
    int topK;

    @Option(
            names = "--top-p",
            defaultValue = "1",
            description = "Nucleus sampling threshold (1 = off).")
    float topP;

    @Option(
            names = "--seed",
            defaultValue = "0",
            description = "Sampling seed (default ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--stop", split = ",", description = "Comma-separated stop token ids.")
    List<Long> stop;

    @Option(
            names = "--routing-plot",
            description = "Also write a PNG heatmap of how the prompt's tokens are routed.")
    Path routingPlot;

    @Option(
            names = "--layer",
            defaultValue = "0",
            description = "MoE layer of the routing plot (default ${DEFAULT-VALUE}).")
    int layer;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        Set<Long> stopTokens = stop == null ? Set.of() : new HashSet<>(stop);
        GenerationConfig config =
                new GenerationConfig(maxNewTokens, temperature, topK, topP, seed, stopTokens, null);
        Path dir = Paths.get(model);
        if (Files.isDirectory(dir)) {
            out.println(generateFromCheckpoint(dir, config));
            return 0;
        }
        if (!ZooCatalog.artifactIds().contains(model)) {
            throw new IllegalArgumentException(
                    model
                            + " is neither a checkpoint directory nor a zoo model; zoo language"
                            + " models: "
                            + ZooCatalog.ENTRIES.stream()
                                    .filter(e -> e.family().equals("language"))
                                    .map(ZooCatalog.Entry::artifactId)
                                    .toList());
        }
        Criteria.Builder<String, GeneratedText> criteria =
                ZooCriteria.of(model, String.class, GeneratedText.class)
                        .optArgument("maxNewTokens", maxNewTokens)
                        .optArgument("temperature", temperature)
                        .optArgument("topK", topK)
                        .optArgument("topP", topP)
                        .optArgument("seed", seed);
        if (stop != null) {
            criteria.optArgument("stopTokens", stop);
        }
        try (ZooModel<String, GeneratedText> zooModel = criteria.build().loadModel();
                Predictor<String, GeneratedText> predictor = zooModel.newPredictor()) {
            out.println(predictor.predict(prompt).text());
            if (routingPlot != null) {
                try (HuggingFaceTokenizer tokenizer =
                        HuggingFaceTokenizer.builder()
                                .optTokenizerPath(zooModel.getModelPath().resolve("tokenizer.json"))
                                .optAddSpecialTokens(false)
                                .build()) {
                    PromptRouting.plot(zooModel.getBlock(), tokenizer, prompt, layer, routingPlot);
                }
            }
        }
        return 0;
    }

    private String generateFromCheckpoint(Path dir, GenerationConfig config) throws Exception {
        Path tokenizerJson = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new IllegalArgumentException("no tokenizer.json in " + dir);
        }
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson)) {
            Criteria<String, GeneratedText> criteria =
                    HfBlockFactory.criteria(dir, String.class, GeneratedText.class)
                            .optTranslator(new TextGenerationTranslator(tokenizer, config))
                            .build();
            try (ZooModel<String, GeneratedText> zooModel = criteria.loadModel();
                    Predictor<String, GeneratedText> predictor = zooModel.newPredictor()) {
                String text = predictor.predict(prompt).text();
                if (routingPlot != null) {
                    PromptRouting.plot(zooModel.getBlock(), tokenizer, prompt, layer, routingPlot);
                }
                return text;
            }
        }
    }
}
