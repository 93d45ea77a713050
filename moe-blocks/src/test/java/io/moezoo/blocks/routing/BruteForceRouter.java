package io.moezoo.blocks.routing;

import io.moezoo.blocks.spec.CapacityLimited;
import io.moezoo.blocks.spec.CapacityTopKSpec;
import io.moezoo.blocks.spec.GroupLimitedSpec;
import io.moezoo.blocks.spec.GroupScore;
import io.moezoo.blocks.spec.RouterSpec;
import io.moezoo.blocks.spec.ScoringFunction;
import io.moezoo.blocks.spec.TopPSpec;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * An independent, per-token, double-precision transcription of each routing rule (inference mode:
 * no jitter, no noise), used as the oracle of the router tests.
 */
final class BruteForceRouter {

    private BruteForceRouter() {}

    /**
     * Routes tokens.
     *
     * @return per token: expert to combine weight
     */
    static List<Map<Integer, Double>> route(
            RouterSpec spec,
            float[] x,
            float[] w,
            float[] bias,
            int tokens,
            int hidden,
            int group) {
        int choices = spec.numChoices();
        double[][] logits = new double[tokens][choices];
        for (int t = 0; t < tokens; t++) {
            for (int e = 0; e < choices; e++) {
                double s = 0;
                for (int h = 0; h < hidden; h++) {
                    s += (double) x[t * hidden + h] * w[e * hidden + h];
                }
                logits[t][e] = s;
            }
        }
        List<Map<Integer, Double>> out = new ArrayList<>();
        for (int t = 0; t < tokens; t++) {
            out.add(new HashMap<>());
        }
        int k = spec.topK();
        int e = spec.numExperts();
        switch (RouterKinds.registry().kindOf(spec).name()) {
            case "softmax_top_k":
                for (int t = 0; t < tokens; t++) {
                    double[] p = softmax(logits[t]);
                    int[] top = order(p);
                    double sum = 0;
                    for (int j = 0; j < k; j++) {
                        sum += p[top[j]];
                    }
                    for (int j = 0; j < k; j++) {
                        if (top[j] < e) {
                            double v = spec.normalizeTopK() ? p[top[j]] / sum : p[top[j]];
                            out.get(t).put(top[j], v * spec.scalingFactor());
                        }
                    }
                }
                break;
            case "top_k_softmax":
            case "noisy_top_k":
                for (int t = 0; t < tokens; t++) {
                    int[] top = order(logits[t]);
                    double[] sel = new double[k];
                    for (int j = 0; j < k; j++) {
                        sel[j] = logits[t][top[j]];
                    }
                    double[] p = softmax(sel);
                    for (int j = 0; j < k; j++) {
                        if (top[j] < e) {
                            out.get(t).put(top[j], p[j] * spec.scalingFactor());
                        }
                    }
                }
                break;
            case "switch":
            case "capacity_top_k":
                capacityRouting(spec, logits, tokens, group, out);
                break;
            case "expert_choice":
                {
                    int c = Math.min(group, capacity(spec, group, k));
                    double[][] p = new double[tokens][];
                    for (int t = 0; t < tokens; t++) {
                        p[t] = softmax(logits[t]);
                    }
                    for (int g = 0; g < tokens; g += group) {
                        for (int x2 = 0; x2 < e; x2++) {
                            final int ex = x2;
                            final int start = g;
                            int[] byScore =
                                    IntStream.range(start, start + group)
                                            .boxed()
                                            .sorted(
                                                    Comparator.comparingDouble(
                                                            (Integer t) -> -p[t][ex]))
                                            .mapToInt(Integer::intValue)
                                            .toArray();
                            for (int j = 0; j < c; j++) {
                                out.get(byScore[j])
                                        .put(ex, p[byScore[j]][ex] * spec.scalingFactor());
                            }
                        }
                    }
                    break;
                }
            case "top_p":
                for (int t = 0; t < tokens; t++) {
                    double[] p = softmax(logits[t]);
                    int[] top = order(p);
                    double cum = 0;
                    int n = ((TopPSpec) spec).maxExperts();
                    for (int j = 0; j < ((TopPSpec) spec).maxExperts(); j++) {
                        cum += p[top[j]];
                        if (cum >= ((TopPSpec) spec).topP()) {
                            n = j + 1;
                            break;
                        }
                    }
                    n =
                            Math.max(
                                    ((TopPSpec) spec).minExperts(),
                                    Math.min(n, ((TopPSpec) spec).maxExperts()));
                    double sum = 0;
                    for (int j = 0; j < n; j++) {
                        sum += p[top[j]];
                    }
                    for (int j = 0; j < n; j++) {
                        if (top[j] < e) {
                            double v = spec.normalizeTopK() ? p[top[j]] / sum : p[top[j]];
                            out.get(t).put(top[j], v * spec.scalingFactor());
                        }
                    }
                }
                break;
            case "group_limited":
                for (int t = 0; t < tokens; t++) {
                    double[] s =
                            ((GroupLimitedSpec) spec).scoring() == ScoringFunction.SIGMOID
                                    ? sigmoid(logits[t])
                                    : softmax(logits[t]);
                    double[] choice = new double[e];
                    for (int x2 = 0; x2 < e; x2++) {
                        choice[x2] = s[x2] + (bias == null ? 0 : bias[x2]);
                    }
                    int groups = ((GroupLimitedSpec) spec).numGroups();
                    int per = e / groups;
                    double[] groupScore = new double[groups];
                    for (int g = 0; g < groups; g++) {
                        double[] members = new double[per];
                        System.arraycopy(choice, g * per, members, 0, per);
                        int[] o = order(members);
                        groupScore[g] =
                                ((GroupLimitedSpec) spec).groupScore() == GroupScore.TOP2_SUM
                                        ? members[o[0]] + members[o[1]]
                                        : members[o[0]];
                    }
                    int[] keptGroups = order(groupScore);
                    boolean[] keep = new boolean[groups];
                    for (int j = 0; j < ((GroupLimitedSpec) spec).topKGroups(); j++) {
                        keep[keptGroups[j]] = true;
                    }
                    for (int x2 = 0; x2 < e; x2++) {
                        if (!keep[x2 / per]) {
                            choice[x2] = Double.NEGATIVE_INFINITY;
                        }
                    }
                    int[] top = order(choice);
                    double sum = 0;
                    for (int j = 0; j < k; j++) {
                        sum += s[top[j]];
                    }
                    for (int j = 0; j < k; j++) {
                        double v = spec.normalizeTopK() ? s[top[j]] / (sum + 1e-20) : s[top[j]];
                        out.get(t).put(top[j], v * spec.scalingFactor());
                    }
                }
                break;
            default:
                throw new IllegalArgumentException(spec.toJson());
        }
        return out;
    }

    private static void capacityRouting(
            RouterSpec spec,
            double[][] logits,
            int tokens,
            int group,
            List<Map<Integer, Double>> out) {
        int k = spec.topK();
        int e = spec.numExperts();
        int c = capacity(spec, group, k);
        double[][] p = new double[tokens][];
        int[][] top = new int[tokens][];
        for (int t = 0; t < tokens; t++) {
            p[t] = softmax(logits[t]);
            top[t] = order(p[t]);
        }
        for (int g = 0; g < tokens; g += group) {
            List<Integer> served = new ArrayList<>();
            for (int t = g; t < g + group; t++) {
                served.add(t);
            }
            if (spec instanceof CapacityTopKSpec v && v.batchPrioritized()) {
                served.sort(Comparator.comparingDouble((Integer t) -> -p[t][top[t][0]]));
            }
            int[] fill = new int[e];
            for (int j = 0; j < k; j++) {
                for (int t : served) {
                    int ex = top[t][j];
                    if (fill[ex] < c) {
                        fill[ex]++;
                        out.get(t).put(ex, p[t][ex] * spec.scalingFactor());
                    }
                }
            }
        }
    }

    static int capacity(RouterSpec spec, int group, int k) {
        int c =
                ((CapacityLimited) spec).capacity() > 0
                        ? ((CapacityLimited) spec).capacity()
                        : (int)
                                Math.ceil(
                                        k
                                                        * group
                                                        * (double)
                                                                ((CapacityLimited) spec)
                                                                        .capacityFactor()
                                                        / spec.numExperts()
                                                - 1e-9);
        int m = ((CapacityLimited) spec).capacityMultiple();
        return (c + m - 1) / m * m;
    }

    static double[] softmax(double[] z) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] p = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            p[i] = Math.exp(z[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < z.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    static double[] sigmoid(double[] z) {
        double[] s = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            s[i] = 1 / (1 + Math.exp(-z[i]));
        }
        return s;
    }

    /** Indices sorted by descending value. */
    static int[] order(double[] v) {
        return IntStream.range(0, v.length)
                .boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> -v[i]))
                .mapToInt(Integer::intValue)
                .toArray();
    }
}
