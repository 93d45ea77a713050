package io.moezoo.translators.text;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;

/** Picks the next token from one row of logits as a {@link GenerationConfig} says. */
final class TokenSampler {

    private final GenerationConfig config;
    private final Random random;

    TokenSampler(GenerationConfig config) {
        this.config = config;
        this.random = new Random(config.seed());
    }

    /**
     * Chooses a token.
     *
     * @param logits the logits over the vocabulary
     * @return the token id
     */
    int next(float[] logits) {
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
