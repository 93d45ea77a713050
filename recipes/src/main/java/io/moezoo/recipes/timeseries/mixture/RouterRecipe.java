package io.moezoo.recipes.timeseries.mixture;

import java.util.ArrayList;
import java.util.List;

/**
 * One candidate recipe of the router: which experts, which features, which loss, how much L2 and
 * how many Adam steps (0 steps: equal weights).
 *
 * @param experts indices into {@link ExpertPanel#EXPERTS}
 * @param holdout whether the router sees the experts' inner-holdout errors ({@link
 *     ExpertPanel#FEATURES}) besides the {@link SeriesFeatures}
 * @param loss the loss
 * @param lambda the L2 penalty
 * @param steps the Adam steps
 */
public record RouterRecipe(
        int[] experts, boolean holdout, RouterLoss loss, double lambda, int steps) {

    /** The Adam step size of every recipe. */
    public static final double LEARNING_RATE = 0.05;

    /** The Adam steps of a trained recipe. */
    public static final int STEPS = 1000;

    /** The L2 penalties tried. */
    public static final double[] LAMBDAS = {1e-3, 1e-2, 1e-1};

    /** Every expert of {@link ExpertPanel#EXPERTS}. */
    public static final int[] ALL =
            java.util.stream.IntStream.range(0, ExpertPanel.EXPERTS.size()).toArray();

    /** The classical experts only (no network). */
    public static final int[] CLASSICAL =
            java.util.stream.IntStream.range(0, ExpertPanel.CLASSICAL).toArray();

    /**
     * Every candidate the recipe tries: for both expert sets, equal weights, and with and without
     * the holdout features every loss × λ.
     *
     * @return the candidates, in a fixed order
     */
    public static List<RouterRecipe> grid() {
        List<RouterRecipe> out = new ArrayList<>();
        for (int[] experts : new int[][] {ALL, CLASSICAL}) {
            out.add(new RouterRecipe(experts, false, RouterLoss.FFORMA, 0, 0));
            for (boolean holdout : new boolean[] {false, true}) {
                for (RouterLoss loss : RouterLoss.values()) {
                    for (double lambda : LAMBDAS) {
                        out.add(new RouterRecipe(experts, holdout, loss, lambda, STEPS));
                    }
                }
            }
        }
        return out;
    }

    /**
     * The systematic search over expert subsets: every non-empty subset of the experts with equal
     * weights (a single expert alone among them), and every subset of two or more with the trained
     * router in the form runs 3 to 7 chose on validation each time (series + holdout features,
     * FFORMA loss) at each λ.
     *
     * @return 2^K − 1 equal-weight and (2^K − 1 − K) × {@link #LAMBDAS} trained candidates for K
     *     experts, in a fixed order
     */
    public static List<RouterRecipe> subsetGrid() {
        List<RouterRecipe> out = new ArrayList<>();
        for (int mask = 1; mask < 1 << ALL.length; mask++) {
            int subset = mask;
            int[] experts =
                    java.util.stream.IntStream.range(0, ALL.length)
                            .filter(k -> (subset >> k & 1) != 0)
                            .toArray();
            out.add(new RouterRecipe(experts, false, RouterLoss.FFORMA, 0, 0));
            if (experts.length > 1) {
                for (double lambda : LAMBDAS) {
                    out.add(new RouterRecipe(experts, true, RouterLoss.FFORMA, lambda, STEPS));
                }
            }
        }
        return out;
    }

    /**
     * The feature names the router sees.
     *
     * @return {@link SeriesFeatures#NAMES}, or {@link ExpertPanel#FEATURES} with the holdout
     */
    public List<String> featureNames() {
        return holdout ? ExpertPanel.FEATURES : SeriesFeatures.NAMES;
    }

    /**
     * The expert names.
     *
     * @return the names of {@link #experts}
     */
    public List<String> expertNames() {
        List<String> names = new ArrayList<>();
        for (int k : experts) {
            names.add(ExpertPanel.EXPERTS.get(k));
        }
        return names;
    }

    /**
     * A short description, e.g. {@code all experts, LOG_MASE, lambda 0.01}.
     *
     * @return the description
     */
    public String describe() {
        String set =
                java.util.Arrays.equals(experts, ALL)
                        ? "all " + ALL.length + " experts"
                        : java.util.Arrays.equals(experts, CLASSICAL)
                                ? "classical " + CLASSICAL.length + " experts"
                                : "experts " + String.join("+", expertNames());
        return steps == 0
                ? set + ", equal weights"
                : set
                        + (holdout ? ", series + holdout features, " : ", series features, ")
                        + loss
                        + ", lambda "
                        + lambda
                        + ", "
                        + steps
                        + " Adam steps";
    }

    /**
     * Trains the router of this recipe.
     *
     * @param windows the training windows (every expert)
     * @return the router over this recipe's experts
     */
    public SoftmaxRouter fit(List<ForecastWindow> windows) {
        int count = featureNames().size();
        List<ForecastWindow> selected =
                windows.stream().map(w -> w.select(experts).withFeatures(count)).toList();
        return new RouterTrainer(loss, lambda, steps, LEARNING_RATE)
                .fit(selected, expertNames(), featureNames());
    }
}
