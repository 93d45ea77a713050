package io.moezoo.cli;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooModel;
import io.moezoo.cli.serve.ChatPrompt;
import io.moezoo.cli.serve.ChatPrompts;
import io.moezoo.cli.serve.ModelGenerator;
import io.moezoo.cli.serve.Server;
import io.moezoo.cli.serve.ServerOptions;
import io.moezoo.hf.GenerationDefaults;
import io.moezoo.hf.HfBlockFactory;
import io.moezoo.hf.harmony.HarmonyFormat;
import io.moezoo.translators.text.GeneratedText;
import io.moezoo.translators.text.GenerationConfig;
import io.moezoo.translators.text.TextGenerationTranslator;
import io.moezoo.zoo.MoeModelZoo;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code moe-zoo serve MODEL}: loads a checkpoint or zoo language model once and answers the OpenAI
 * API over HTTP ({@link Server}) until interrupted.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description =
                "Serve a Hugging Face checkpoint or zoo language model over an OpenAI-compatible"
                        + " HTTP API (/v1/models, /v1/completions, /v1/chat/completions).")
final class ServeCommand implements Callable<Integer> {

    @Parameters(
            index = "0",
            paramLabel = "MODEL",
            description = "A Hugging Face checkpoint directory or a zoo model id (e.g. brown-moe).")
    String model;

    @Option(
            names = "--host",
            defaultValue = ServerOptions.DEFAULT_HOST,
            description =
                    "Address to listen on (default ${DEFAULT-VALUE}: this machine only; the API has"
                            + " no authentication).")
    String host;

    @Option(
            names = "--port",
            defaultValue = "8000",
            description = "Port, 0 for a free one (default ${DEFAULT-VALUE}).")
    int port;

    @Option(
            names = "--parallel",
            defaultValue = "1",
            description =
                    "Generations that run at once (default ${DEFAULT-VALUE}); on the MoeJava"
                            + " engine they share every forward pass (continuous batching).")
    int parallel;

    @Option(
            names = "--queue",
            defaultValue = "16",
            description =
                    "Requests that may wait for a generation; more are refused with 503 (default"
                            + " ${DEFAULT-VALUE}).")
    int queue;

    @Option(
            names = "--max-request-bytes",
            defaultValue = "1048576",
            description = "Largest request body; larger ones get 413 (default ${DEFAULT-VALUE}).")
    int maxRequestBytes;

    @Option(
            names = "--max-tokens-limit",
            defaultValue = "512",
            description = "Largest max_tokens a request may ask for (default ${DEFAULT-VALUE}).")
    int maxTokensLimit;

    @Mixin EngineOption engine;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    /** Never counted down: the server runs until the JVM ends or the thread is interrupted. */
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        ServerOptions options =
                new ServerOptions(host, port, maxRequestBytes, maxTokensLimit, parallel, queue);
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!InetAddress.getByName(host).isLoopbackAddress()) {
            err.println(
                    "warning: listening on "
                            + host
                            + ", which is not a loopback address: anyone who can reach it can use"
                            + " the model (there is no authentication)");
            err.flush();
        }
        try (ModelGenerator generator = load(model, engine.name(), parallel);
                Server server = new Server(generator, options).start()) {
            out.println(
                    "serving "
                            + generator.modelId()
                            + " on "
                            + server.url()
                            + " (OpenAI API: /v1/models, /v1/completions, /v1/chat/completions)");
            out.flush();
            stopped.await();
        }
        return 0;
    }

    /**
     * Loads a model to serve.
     *
     * @param model a checkpoint directory or a zoo language model id
     * @param engineName the engine of a checkpoint
     * @return the loaded model
     * @throws Exception if it cannot be loaded
     */
    static ModelGenerator load(String model, String engineName) throws Exception {
        return load(model, engineName, 1);
    }

    /**
     * Loads a model to serve, batching up to {@code maxBatch} concurrent requests on an engine that
     * decodes batches.
     *
     * @param model a checkpoint directory or a zoo language model id
     * @param engineName the engine of a checkpoint
     * @param maxBatch the most requests decoded together
     * @return the loaded model
     * @throws Exception if it cannot be loaded
     */
    static ModelGenerator load(String model, String engineName, int maxBatch) throws Exception {
        Path dir = Paths.get(model);
        if (Files.isDirectory(dir)) {
            return loadCheckpoint(dir, model, engineName, maxBatch);
        }
        ZooCriteria.requireModel(model, "language");
        ZooModel<String, GeneratedText> zooModel =
                ZooCriteria.of(model, String.class, GeneratedText.class).build().loadModel();
        try {
            // As the zoo's TextTranslatorFactory builds it: no special tokens, no truncation.
            HuggingFaceTokenizer tokenizer =
                    HuggingFaceTokenizer.builder()
                            .optTokenizerPath(zooModel.getModelPath().resolve("tokenizer.json"))
                            .optAddSpecialTokens(false)
                            .optTruncation(false)
                            .build();
            GenerationDefaults defaults =
                    new GenerationDefaults(
                            zooStopTokens(model), null, null, false, null, null, null, null, null);
            return new ModelGenerator(
                    model, zooModel, tokenizer, defaults, ChatPrompts.none(), null);
        } catch (Exception | Error e) {
            zooModel.close();
            throw e;
        }
    }

    private static ModelGenerator loadCheckpoint(
            Path dir, String model, String engineName, int maxBatch) throws Exception {
        GenerationDefaults defaults = GenerationDefaults.read(dir);
        Path tokenizerJson = dir.resolve("tokenizer.json");
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new IllegalArgumentException("no tokenizer.json in " + dir);
        }
        io.moezoo.formats.CheckpointFiles.checkTokenizer(dir);
        // As generate builds it: no truncation, the translator checks the prompt's length.
        HuggingFaceTokenizer tokenizer =
                HuggingFaceTokenizer.builder()
                        .optTokenizerPath(tokenizerJson)
                        .optTruncation(false)
                        .build();
        HuggingFaceTokenizer chatTokenizer = null;
        try {
            ChatPrompt chat = ChatPrompts.forCheckpoint(dir);
            // Rendered chat templates carry their own BOS: encode them without special tokens.
            chatTokenizer =
                    HuggingFaceTokenizer.builder()
                            .optTokenizerPath(tokenizerJson)
                            .optTruncation(false)
                            .optAddSpecialTokens(false)
                            .build();
            if (chat.harmony()) {
                // gpt-oss: <|call|> ends a reply too, though generation_config.json omits it.
                HuggingFaceTokenizer encoder = chatTokenizer;
                defaults =
                        defaults.withEosTokenIds(
                                HarmonyFormat.stopTokenIds(t -> encoder.encode(t).getIds()));
            }
            ZooModel<String, GeneratedText> zooModel =
                    HfBlockFactory.criteria(dir, String.class, GeneratedText.class, engineName)
                            .optTranslator(
                                    new TextGenerationTranslator(
                                            tokenizer, GenerationConfig.greedy(1)))
                            .build()
                            .loadModel();
            Path name = dir.toAbsolutePath().normalize().getFileName();
            return new ModelGenerator(
                    name == null ? model : name.toString(),
                    zooModel,
                    tokenizer,
                    defaults,
                    chat,
                    chatTokenizer,
                    maxBatch);
        } catch (Exception | Error e) {
            tokenizer.close();
            if (chatTokenizer != null) {
                chatTokenizer.close();
            }
            throw e;
        }
    }

    /** The stop token ids of a zoo model's metadata ({@code stopTokens}: "id,id,..."). */
    private static Set<Long> zooStopTokens(String artifactId) throws Exception {
        Object value =
                ModelZoo.getModelZoo(MoeModelZoo.GROUP_ID)
                        .getModelLoader(artifactId)
                        .getMrl()
                        .getDefaultArtifact()
                        .getArguments()
                        .get("stopTokens");
        Set<Long> ids = new HashSet<>();
        if (value == null) {
            return ids;
        }
        String text = value.toString().replaceAll("[\\[\\]\\s]", "");
        for (String id : text.split(",")) {
            if (!id.isEmpty()) {
                ids.add((long) Double.parseDouble(id));
            }
        }
        return ids;
    }
}
