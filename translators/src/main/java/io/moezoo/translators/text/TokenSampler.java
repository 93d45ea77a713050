package io.moezoo.translators.text;

import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/** Picks the next token from one row of logits as a {@link GenerationConfig} says. */
final class TokenSampler {

    private final GenerationConfig config;
    private final Random random;

    /** Every token of the prompt and the continuation, for the repetition penalty. */
    private final Set<Integer> seen = new HashSet<>();

    /** How often each token was generated, for the presence and frequency penalties. */
    private final Map<Integer, Integer> generated = new HashMap<>();

    TokenSampler(GenerationConfig config) {
        this.config = config;
        this.random = new Random(config.seed());
    }

    /**
     * Records the prompt (the repetition penalty covers it, as in Hugging Face).
     *
     * @param ids the prompt's token ids
     */
    void observePrompt(long[] ids) {
        for (long id : ids) {
            seen.add((int) id);
        }
    }

    /**
     * Records a generated token.
     *
     * @param token the token id
     */
    void accept(int token) {
        seen.add(token);
        generated.merge(token, 1, Integer::sum);
    }

    /**
     * Applies the penalties to a copy of the logits: the repetition penalty to every token seen (l
     * / θ for l &gt; 0, else l · θ), then {@code presence + frequency · count} subtracted for every
     * generated token.
     */
    float[] penalised(float[] logits) {
        boolean repetition = config.repetitionPenalty() != 1f;
        boolean presence = config.presencePenalty() != 0f || config.frequencyPenalty() != 0f;
        if (!repetition && !presence) {
            return logits;
        }
        float[] l = logits.clone();
        if (repetition) {
            float theta = config.repetitionPenalty();
            for (int id : seen) {
                if (id >= 0 && id < l.length) {
                    l[id] = l[id] > 0 ? l[id] / theta : l[id] * theta;
                }
            }
        }
        if (presence) {
            for (Map.Entry<Integer, Integer> e : generated.entrySet()) {
                int id = e.getKey();
                if (id >= 0 && id < l.length) {
                    l[id] -= config.presencePenalty() + config.frequencyPenalty() * e.getValue();
                }
            }
        }
        return l;
    }

    /**
     * Chooses a token: greedy at temperature 0, else sampled after the penalties, min-p, top-k and
     * top-p.
     *
     * @param raw the logits over the vocabulary
     * @return the token id
     */
    int next(float[] raw) {
        float[] logits = penalised(raw);
        if (config.temperature() == 0f) {
            int best = 0;
            for (int i = 1; i < logits.length; i++) {
                if (logits[i] > logits[best]) {
                    best = i;
                }
            }
            return best;
        }
        Integer[] order = new Integer[logits.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -logits[i]));
        int keep = config.topK() > 0 ? Math.min(config.topK(), order.length) : order.length;
        // In double, relative to the largest logit: a tiny temperature cannot overflow to NaN.
        double temperature = config.temperature();
        double max = logits[order[0]];
        double[] p = new double[keep];
        double sum = 0;
        for (int j = 0; j < keep; j++) {
            p[j] = Math.exp((logits[order[j]] - max) / temperature);
            sum += p[j];
        }
        double cumulative = 0;
        int nucleus = keep;
        for (int j = 0; j < keep; j++) {
            p[j] /= sum;
            cumulative += p[j];
            if (cumulative >= config.topP()) {
                nucleus = j + 1;
                break;
            }
        }
        // min-p: keep the tokens at least minP times as likely as the most likely one.
        if (config.minP() > 0) {
            double floor = config.minP() * p[0];
            int kept = 1;
            while (kept < nucleus && p[kept] >= floor) {
                kept++;
            }
            nucleus = kept;
        }
        double mass = 0;
        for (int j = 0; j < nucleus; j++) {
            mass += p[j];
        }
        double u = random.nextDouble() * mass;
        for (int j = 0; j < nucleus; j++) {
            u -= p[j];
            if (u <= 0) {
                return order[j];
            }
        }
        return order[nucleus - 1];
    }
}
