package io.moezoo.blocks.loss;

import io.moezoo.blocks.routing.RoutingDecision;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Decides over which tokens the load-balancing frequencies \(f_i\) are counted ("Demons in the
 * Detail", Qiu et al. 2025).
 *
 * <p>{@link #microBatch()} counts each forward pass alone: with few sequences per micro-batch this
 * is near sequence-level balancing and pushes every domain to spread over all experts. {@link
 * #globalBatch(int)} pools the counts of the last n micro-batches (gradient-accumulation steps,
 * times data-parallel workers when several record into one window): the balance is then asked of
 * the global batch, and experts may specialise by domain. The pooled counts of earlier
 * micro-batches are constants, so the gradient still flows only through the current pass's \(P_i\).
 * When a step starts, the window still holds the previous step's micro-batches, so every loss sees
 * n micro-batches' worth of counts.
 */
public final class BalanceWindow {

    private final int size;
    private final List<Deque<long[]>> perLayer = new ArrayList<>();

    private BalanceWindow(int size) {
        if (size < 1) {
            throw new IllegalArgumentException(
                    "Balance window must hold >= 1 micro-batch, got " + size);
        }
        this.size = size;
    }

    /**
     * Counts each micro-batch alone.
     *
     * @return the window
     */
    public static BalanceWindow microBatch() {
        return new BalanceWindow(1);
    }

    /**
     * Pools the counts of the last n micro-batches.
     *
     * @param microBatches n, micro-batches per global batch (times workers)
     * @return the window
     */
    public static BalanceWindow globalBatch(int microBatches) {
        return new BalanceWindow(microBatches);
    }

    /**
     * Returns the number of micro-batches pooled.
     *
     * @return n
     */
    public int size() {
        return size;
    }

    /**
     * Records one layer's routing of a training pass and returns it with the window's counts.
     *
     * @param layer the layer index in the model
     * @param decision the decision
     * @param numChoices E', the router outputs
     * @return the layer routing with pooled counts
     */
    public synchronized LayerRouting record(int layer, RoutingDecision decision, int numChoices) {
        if (size == 1) {
            return LayerRouting.microBatch(decision, numChoices);
        }
        while (perLayer.size() <= layer) {
            perLayer.add(new ArrayDeque<>());
        }
        Deque<long[]> window = perLayer.get(layer);
        long[] counts = decision.choicesPerExpert(numChoices);
        long[] entry = java.util.Arrays.copyOf(counts, numChoices + 1);
        entry[numChoices] = decision.getNumTokens();
        window.addLast(entry);
        while (window.size() > size) {
            window.removeFirst();
        }
        long[] sum = new long[numChoices + 1];
        for (long[] e : window) {
            for (int i = 0; i < sum.length && i < e.length; i++) {
                sum[i] += e[i];
            }
        }
        return new LayerRouting(
                decision, java.util.Arrays.copyOf(sum, numChoices), sum[numChoices]);
    }

    /** Forgets all pooled counts (for example between training and evaluation runs). */
    public synchronized void reset() {
        perLayer.clear();
    }
}
