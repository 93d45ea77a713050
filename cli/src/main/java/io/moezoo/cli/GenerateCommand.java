package io.moezoo.cli;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.moezoo.hf.GenerationDefaults;
import io.moezoo.hf.HfBlockFactory;
import io.moezoo.translators.text.ContextLengthExceededException;
import io.moezoo.translators.text.GeneratedText;
import io.moezoo.translators.text.GenerationConfig;
import io.moezoo.translators.text.TextGenerationTranslator;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code moe-zoo generate DIR PROMPT}: prints the continuation of a prompt while it is generated
 * (each piece of text written and flushed as soon as its tokens are decoded), then a line break.
 */
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

    @Parameters(
            index = "1",
            arity = "0..1",
            paramLabel = "PROMPT",
            description =
                    "The prompt text, or - to read it from standard input (UTF-8, <= 1 MiB); left"
                            + " out with --prompts-file.")
    String prompt;

    @Option(
            names = "--prompts-file",
            paramLabel = "FILE",
            description =
                    "Continue every non-empty line of FILE (UTF-8, <= 1 MiB, at most "
                            + PromptBatch.MAX_PROMPTS
                            + " prompts) as one batch of a checkpoint: on the MoeJava engine the"
                            + " prompts share every forward pass. Prints one JSON line per prompt"
                            + " ({\"index\", \"text\", \"tokens\", \"stopped\"}) once all are"
                            + " done.")
    Path promptsFile;

    @Mixin GenerationOptions options;

    @Mixin EngineOption engine;

    @Option(
            names = "--routing-plot",
            description =
                    "Also write a PNG heatmap of how the prompt's tokens are routed (a checkpoint"
                            + " then runs on the PyTorch reference path, which records routing).")
    Path routingPlot;

    @Option(
            names = "--layer",
            defaultValue = "0",
            description = "MoE layer of the routing plot (default ${DEFAULT-VALUE}).")
    int layer;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    /** Whether any text has been written. */
    private boolean streamed;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        GenerationConfig config = options.config();
        if (layer < 0) {
            throw new IllegalArgumentException("--layer must be >= 0, got " + layer);
        }
        if (routingPlot != null) {
            OutputPaths.checkFile(routingPlot, "--routing-plot");
        }
        if (prompt == null && promptsFile == null) {
            throw new picocli.CommandLine.ParameterException(
                    spec.commandLine(), "Missing required parameter: 'PROMPT' (or --prompts-file)");
        }
        if (prompt != null && promptsFile != null) {
            throw new IllegalArgumentException("give either PROMPT or --prompts-file, not both");
        }
        Path dir = Paths.get(model);
        if (promptsFile != null) {
            if (!Files.isDirectory(dir) || routingPlot != null) {
                throw new IllegalArgumentException(
                        "--prompts-file continues prompts of a checkpoint directory (without"
                                + " --routing-plot)");
            }
            PromptBatch.run(
                    dir,
                    PromptBatch.read(promptsFile),
                    GenerationDefaults.read(dir)
                            .applyTo(config, options.given(), options.ignoreEos),
                    engine.name(),
                    spec.commandLine().getOut());
            return 0;
        }
        String text = PromptText.resolve(prompt, System.in);
        if (Files.isDirectory(dir)) {
            generateFromCheckpoint(dir, text, config);
            return 0;
        }
        ZooCriteria.requireModel(model, "language");
        Criteria.Builder<String, GeneratedText> criteria =
                options.arguments(ZooCriteria.of(model, String.class, GeneratedText.class))
                        .optArgument("onText", (Consumer<String>) this::print);
        try (ZooModel<String, GeneratedText> zooModel = criteria.build().loadModel();
                Predictor<String, GeneratedText> predictor = zooModel.newPredictor()) {
            generate(predictor, text);
            if (routingPlot != null) {
                try (HuggingFaceTokenizer tokenizer =
                        HuggingFaceTokenizer.builder()
                                .optTokenizerPath(zooModel.getModelPath().resolve("tokenizer.json"))
                                .optAddSpecialTokens(false)
                                .optTruncation(false)
                                .build()) {
                    PromptRouting.plot(
                            zooModel.getBlock(),
                            tokenizer,
                            text,
                            layer,
                            routingPlot,
                            config.truncatePrompt());
                }
            }
        }
        return 0;
    }

    private void generateFromCheckpoint(Path dir, String text, GenerationConfig userConfig)
            throws Exception {
        // EOS ids and default sampling of generation_config.json, under the user's settings.
        GenerationConfig config =
                GenerationDefaults.read(dir)
                        .applyTo(userConfig, options.given(), options.ignoreEos);
        Path tokenizerJson = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new IllegalArgumentException("no tokenizer.json in " + dir);
        }
        // A bounded, regular, UTF-8 file before the native tokenizer reads it.
        io.moezoo.formats.CheckpointFiles.checkTokenizer(dir);
        // No truncation: newInstance would silently keep a prompt's first 512 tokens; the
        // translator checks the whole prompt against the model's context instead.
        try (HuggingFaceTokenizer tokenizer =
                HuggingFaceTokenizer.builder()
                        .optTokenizerPath(tokenizerJson)
                        .optTruncation(false)
                        .build()) {
            Criteria<String, GeneratedText> criteria =
                    HfBlockFactory.criteria(
                                    dir,
                                    String.class,
                                    GeneratedText.class,
                                    routingPlot != null
                                            ? HfBlockFactory.REFERENCE_ENGINE
                                            : engine.name())
                            .optTranslator(
                                    new TextGenerationTranslator(tokenizer, config, this::print))
                            .build();
            try (ZooModel<String, GeneratedText> zooModel = criteria.loadModel();
                    Predictor<String, GeneratedText> predictor = zooModel.newPredictor()) {
                generate(predictor, text);
                if (routingPlot != null) {
                    PromptRouting.plot(
                            zooModel.getBlock(),
                            tokenizer,
                            text,
                            layer,
                            routingPlot,
                            config.truncatePrompt());
                }
            }
        }
    }

    /** Writes a piece of the continuation to standard output at once. */
    private void print(String piece) {
        PrintWriter out = spec.commandLine().getOut();
        out.print(PromptText.printable(piece));
        out.flush();
        streamed = true;
    }

    /**
     * Generates, the translator streaming the text to {@link #print}, and ends the line (also when
     * generation fails part way); says in the command line's terms when the prompt does not fit.
     */
    private void generate(Predictor<String, GeneratedText> predictor, String text)
            throws Exception {
        boolean done = false;
        try {
            predictor.predict(text);
            done = true;
        } catch (ContextLengthExceededException e) {
            throw doesNotFit(e);
        } finally {
            if (done || streamed) {
                spec.commandLine().getOut().println();
            }
        }
    }

    /** Says in the command line's terms that a prompt does not fit the model's context. */
    static IllegalArgumentException doesNotFit(ContextLengthExceededException e) {
        int context = e.getContextLength();
        if (e.getMaxNewTokens() >= context) {
            return new IllegalArgumentException(
                    "--max-new-tokens "
                            + e.getMaxNewTokens()
                            + " does not fit in the model's context of "
                            + context
                            + " tokens (prompt included): use at most "
                            + (context - 1),
                    e);
        }
        return new IllegalArgumentException(
                "the prompt is "
                        + e.getPromptTokens()
                        + " tokens and --max-new-tokens is "
                        + e.getMaxNewTokens()
                        + ": together more than the model's context of "
                        + context
                        + " tokens; shorten the prompt, lower --max-new-tokens, or add"
                        + " --truncate-prompt to keep its last "
                        + (context - e.getMaxNewTokens())
                        + " tokens",
                e);
    }
}
