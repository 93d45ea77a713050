package io.moezoo.models.reward;

/** The head of {@link LmDoubleLayerRewardModel} in plain Java, from the block's parameters. */
final class HeadOracle {

    record Result(double score, double[] objectives, double[] probabilities, int category) {}

    private final int g;
    private final int c;
    private final int e;
    private final int a;
    private final int f = LanguageModelFeatures.COUNT;
    private final float[] shift;
    private final float[] scale;
    private final float[] routerW;
    private final float[] routerB;
    private final float[] expertW;
    private final float[] expertB;
    private final float[] valueW;
    private final float[] valueB;
    private final float[] w1;
    private final float[] b1;
    private final float[] prelu;
    private final float[] w2;
    private final float[] b2;

    HeadOracle(LmDoubleLayerRewardModel model) {
        g = model.getSpec().categories().size();
        c = model.getSpec().objectives().size();
        e = model.getSpec().expertWidth();
        a = model.getSpec().headHidden();
        shift = param(model, "feature_shift");
        scale = param(model, "feature_scale");
        routerW = param(model, "router_weight");
        routerB = param(model, "router_bias");
        expertW = param(model, "expert_weight");
        expertB = param(model, "expert_bias");
        valueW = param(model, "value_head_weight");
        valueB = param(model, "value_head_bias");
        w1 = param(model, "aggregator_w1");
        b1 = param(model, "aggregator_b1");
        prelu = param(model, "aggregator_prelu");
        w2 = param(model, "aggregator_w2");
        b2 = param(model, "aggregator_b2");
    }

    private static float[] param(LmDoubleLayerRewardModel model, String name) {
        return model.getParameters().get(name).getArray().toFloatArray();
    }

    Result score(float[] statistics, float[] promptState) {
        int h = promptState.length;
        double[] logits = new double[g];
        double max = Double.NEGATIVE_INFINITY;
        int best = 0;
        for (int k = 0; k < g; k++) {
            logits[k] = routerB[k];
            for (int i = 0; i < h; i++) {
                logits[k] += routerW[k * h + i] * promptState[i];
            }
            if (logits[k] > max) {
                max = logits[k];
                best = k;
            }
        }
        double sum = 0;
        double[] p = new double[g];
        for (int k = 0; k < g; k++) {
            p[k] = Math.exp(logits[k] - max);
            sum += p[k];
        }
        for (int k = 0; k < g; k++) {
            p[k] /= sum;
        }
        double[] x = new double[f];
        for (int k = 0; k < f; k++) {
            x[k] = (statistics[k] - shift[k]) / scale[k];
        }
        double[] features = new double[c * e]; // the routed category's experts, concatenated
        double[] objectives = new double[c];
        for (int j = 0; j < c; j++) {
            int expert = best * c + j;
            objectives[j] = valueB[expert];
            for (int u = 0; u < e; u++) {
                double z = expertB[expert * e + u];
                for (int k = 0; k < f; k++) {
                    z += expertW[(expert * e + u) * f + k] * x[k];
                }
                features[j * e + u] = Math.tanh(z);
                objectives[j] += valueW[expert * e + u] * features[j * e + u];
            }
        }
        double score = b2[best];
        for (int u = 0; u < a; u++) {
            double z = b1[best * a + u];
            for (int k = 0; k < c * e; k++) {
                z += w1[(best * a + u) * c * e + k] * features[k];
            }
            double activated = z >= 0 ? z : prelu[best] * z;
            score += w2[best * a + u] * activated;
        }
        return new Result(score, objectives, p, best);
    }
}
