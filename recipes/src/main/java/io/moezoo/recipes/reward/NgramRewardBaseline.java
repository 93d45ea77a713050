package io.moezoo.recipes.reward;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.moezoo.recipes.language.BrownLanguageModels;
import io.moezoo.recipes.ngram.KneserNeyModel;
import io.moezoo.translators.reward.InvalidRewardInputException;
import io.moezoo.translators.reward.RewardTextEncoding;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The classical baseline of the reward family: a modified Kneser-Ney trigram language model ({@link
 * KneserNeyModel}) on GPT-2 BPE tokens, trained on the text of the training files only (the text
 * the reward models' encoder is pre-trained on; each file one sequence), with no pair training at
 * all. A response's reward is its log-probability given the prompt,
 *
 * <pre>
 *   r(prompt, response)       = sum_{i in response} ln p(t_i | t_{i-2}, t_{i-1})
 *   r_token(prompt, response) = r(prompt, response) / |response tokens|
 * </pre>
 *
 * over the GPT-2 tokens of {@code prompt + " " + response} (whitespace collapsed as the reward
 * models' translator does), the first response tokens conditioned on the prompt's last tokens. Two
 * variants are reported: the sum ({@link #KEY}; what reproduces the 0.700 of issue 17) and the
 * per-token mean ({@link #PER_TOKEN_KEY}; stronger on the edits that change a response's length). A
 * pair counts as right when the chosen response's reward is strictly higher, as for the reward
 * models ({@link RewardEvaluator}).
 */
public final class NgramRewardBaseline implements AutoCloseable {

    /** The order of the baseline. */
    public static final int ORDER = 3;

    /** The sum variant's key in a reward card's {@code baselines}. */
    public static final String KEY = "kneser-ney-trigram";

    /** The per-token variant's key in a reward card's {@code baselines}. */
    public static final String PER_TOKEN_KEY = "kneser-ney-trigram-per-token";

    /** How the baselines are computed (card.json {@code ngramBaseline}, README). */
    public static final String DESCRIPTION =
            "(kneser-ney-trigram, kneser-ney-trigram-per-token): no pair training; reward ="
                    + " log-probability of the response's GPT-2 BPE tokens given the prompt (prompt"
                    + " + \" \" + response, whitespace collapsed), summed (kneser-ney-trigram) or"
                    + " divided by the response's token count (kneser-ney-trigram-per-token), under"
                    + " an interpolated modified Kneser-Ney trigram (io.moezoo.recipes.ngram) trained"
                    + " on the text of the training files only (each file one sequence); evaluated"
                    + " on the same held-out pairs, a pair right when the chosen response's reward is"
                    + " strictly higher.";

    private static final int VOCABULARY = (int) BrownLanguageModels.END_OF_TEXT + 1;

    private final KneserNeyModel model;
    private final HuggingFaceTokenizer tokenizer;

    private NgramRewardBaseline(KneserNeyModel model, HuggingFaceTokenizer tokenizer) {
        this.model = model;
        this.tokenizer = tokenizer;
    }

    /**
     * Trains the trigram on the training files.
     *
     * @param docs all documents; only those with {@code heldOut() == false} are used
     * @return the baseline (close it to release the tokenizer)
     * @throws IOException if the GPT-2 tokenizer cannot be loaded
     */
    public static NgramRewardBaseline train(List<BrownDocument> docs) throws IOException {
        HuggingFaceTokenizer tokenizer = BrownLanguageModels.gpt2Tokenizer();
        List<long[]> sequences = new ArrayList<>();
        for (BrownDocument d : docs) {
            if (!d.heldOut()) {
                sequences.add(tokenizer.encode(d.text()).getIds());
            }
        }
        return new NgramRewardBaseline(
                KneserNeyModel.modified(ORDER, VOCABULARY, sequences), tokenizer);
    }

    /**
     * Returns the trigram.
     *
     * @return the model
     */
    public KneserNeyModel model() {
        return model;
    }

    /**
     * Scores one response: the log-probability of its tokens given the prompt.
     *
     * @param prompt the context
     * @param response the response
     * @return {@code r(prompt, response)}
     * @throws InvalidRewardInputException if the prompt or the response is null or blank
     */
    public double score(String prompt, String response) throws InvalidRewardInputException {
        return scored(prompt, response)[0];
    }

    /**
     * Scores one response per token: the log-probability of its tokens given the prompt divided by
     * their number.
     *
     * @param prompt the context
     * @param response the response
     * @return {@code r_token(prompt, response)}
     * @throws InvalidRewardInputException if the prompt or the response is null or blank
     */
    public double perTokenScore(String prompt, String response) throws InvalidRewardInputException {
        double[] s = scored(prompt, response);
        return s[0] / s[1];
    }

    /** Returns {log-probability, number of response tokens}. */
    private double[] scored(String prompt, String response) throws InvalidRewardInputException {
        long[] p = tokenizer.encode(RewardTextEncoding.checked(prompt, "prompt")).getIds();
        long[] r =
                tokenizer.encode(" " + RewardTextEncoding.checked(response, "response")).getIds();
        long[] tokens = java.util.Arrays.copyOf(p, p.length + r.length);
        System.arraycopy(r, 0, tokens, p.length, r.length);
        return new double[] {model.logProbability(tokens, 0, p.length, tokens.length), r.length};
    }

    /**
     * Evaluates the baseline on pairs, with the reward models' metrics.
     *
     * @param pairs the pairs
     * @param perToken true for {@link #perTokenScore}, false for {@link #score}
     * @return accuracy overall, per dimension and per genre category
     * @throws InvalidRewardInputException if a text of a pair is null or blank
     */
    public RewardEvaluation evaluate(List<RewardPair> pairs, boolean perToken)
            throws InvalidRewardInputException {
        boolean[] correct = new boolean[pairs.size()];
        for (int i = 0; i < correct.length; i++) {
            RewardPair p = pairs.get(i);
            correct[i] =
                    perToken
                            ? perTokenScore(p.prompt(), p.chosen())
                                    > perTokenScore(p.prompt(), p.rejected())
                            : score(p.prompt(), p.chosen()) > score(p.prompt(), p.rejected());
        }
        return RewardEvaluation.of(pairs, correct, null);
    }

    /**
     * Evaluates both variants.
     *
     * @param pairs the pairs
     * @return the metrics under {@link #KEY} and {@link #PER_TOKEN_KEY}
     * @throws InvalidRewardInputException if a text of a pair is null or blank
     */
    public java.util.Map<String, java.util.Map<String, Double>> evaluateBoth(List<RewardPair> pairs)
            throws InvalidRewardInputException {
        java.util.Map<String, java.util.Map<String, Double>> out = new java.util.LinkedHashMap<>();
        out.put(KEY, evaluate(pairs, false).metrics());
        out.put(PER_TOKEN_KEY, evaluate(pairs, true).metrics());
        return out;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
