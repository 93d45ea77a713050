package io.moezoo.recipes.reward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.moezoo.recipes.language.BrownLanguageModels;
import io.moezoo.recipes.ngram.KneserNeyModel;
import io.moezoo.translators.reward.InvalidRewardInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The n-gram reward baseline on a small hand-written corpus (hermetic). */
class NgramRewardBaselineTest {

    private static final String[] WORDS =
            ("the of and to a in that is was he for it with as his on be at by had not"
                            + " are but from or have an they which one you were her all she there"
                            + " would their we him been has when who will more no if out so said"
                            + " what up its about into than them can only other new some could"
                            + " time these two may then do first any my now such like our over man"
                            + " me even most made after also did many before must through back"
                            + " years where much your way well down should because each just those"
                            + " people jury election city report mayor")
                    .split(" ");

    /**
     * 60 documents of 300 words drawn from a skewed distribution over 120 words; every 10th is held
     * out and must not be counted.
     */
    private static List<BrownDocument> docs() {
        Random rng = new Random(17);
        List<BrownDocument> docs = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            StringBuilder text = new StringBuilder();
            for (int j = 0; j < 300; j++) {
                // mostly frequent words, some rare ones (so every count-of-counts is non-zero)
                text.append(
                                rng.nextDouble() < 0.2
                                        ? "rare" + rng.nextInt(800)
                                        : WORDS[
                                                (int)
                                                        (WORDS.length
                                                                * Math.pow(rng.nextDouble(), 2.5))])
                        .append(j % 12 == 11 ? ". " : " ");
            }
            docs.add(
                    new BrownDocument(
                            "f" + (100 + i),
                            "news",
                            i,
                            i % 10 == 9 ? "zebra quantum xylophone" : text.toString().strip()));
        }
        return docs;
    }

    /**
     * The chain rule: the reward of a response is the log-probability of prompt + response minus
     * that of the prompt alone, both scored as sequences from their first token.
     */
    @Test
    void scoreIsTheLogProbabilityOfTheResponseGivenThePrompt() throws Exception {
        try (NgramRewardBaseline baseline = NgramRewardBaseline.train(docs());
                HuggingFaceTokenizer tokenizer = BrownLanguageModels.gpt2Tokenizer()) {
            KneserNeyModel model = baseline.model();
            String prompt = "The jury said that the";
            String response = "election was in the city of the mayor.";
            long[] p = tokenizer.encode(prompt).getIds();
            long[] all = tokenizer.encode(prompt + " " + response).getIds();
            double expected =
                    model.logProbability(all, 0, 0, all.length)
                            - model.logProbability(p, 0, 0, p.length);
            assertEquals(expected, baseline.score(prompt, response), 1e-9);
            int responseTokens = all.length - p.length;
            assertEquals(expected / responseTokens, baseline.perTokenScore(prompt, response), 1e-9);
            // whitespace is collapsed as in the reward models' translator
            assertEquals(
                    baseline.score(prompt, response),
                    baseline.score(
                            "The  jury\nsaid that the ",
                            "  election was\tin the city of the mayor."),
                    0);
            // words of the training text beat words never seen
            assertTrue(
                    baseline.score(prompt, "of the city")
                            > baseline.score(prompt, "zebra quantum xylophone"));
            // the held-out documents were not counted: their words are unseen
            long zebra = tokenizer.encode(" zebra").getIds()[0];
            assertEquals(
                    0,
                    model.counts().count(1, model.counts().keys().pack(new long[] {zebra}, 0, 1)));
        }
    }

    @Test
    void blankOrNullTextsGetTypedErrors() throws Exception {
        try (NgramRewardBaseline baseline = NgramRewardBaseline.train(docs())) {
            assertEquals(
                    "prompt",
                    assertThrows(
                                    InvalidRewardInputException.class,
                                    () -> baseline.score(" \n", "words"))
                            .getField());
            assertEquals(
                    "response",
                    assertThrows(
                                    InvalidRewardInputException.class,
                                    () -> baseline.perTokenScore("A prompt", null))
                            .getField());
        }
    }
}
