package io.moezoo.recipes.parallel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Replays a language-model trace as autoregressive decoding: every worker holds b sequences and a
 * decode step routes one token of each, the token at the same position of every sequence. Uses the
 * evaluation half of the trace, round-robin placement (expert-parallel groups of E workers, one per
 * node here) and every layer, and reports the mean over steps and layers.
 */
public final class DecodeReplay {

    /** The decode batch sizes per worker. */
    public static final int[] BATCH_PER_WORKER = {1, 4, 8};

    /** The worker counts. */
    public static final int[] WORKERS = {8, 64};

    private DecodeReplay() {}

    /**
     * The decode result of one (W, b).
     *
     * @param workers W
     * @param batchPerWorker b
     * @param steps the decode steps simulated (positions × groups × layers)
     * @param busiestWorker mean assignments of the busiest worker per step
     * @param imbalance mean max/mean assignments per worker
     * @param idleShare mean share of workers with no assignment in a step
     * @param bytes mean dispatch + combine bytes per step and layer
     * @param localFraction the share of assignments that stay on their worker
     */
    public record Row(
            int workers,
            int batchPerWorker,
            int steps,
            double busiestWorker,
            double imbalance,
            double idleShare,
            double bytes,
            double localFraction) {}

    /**
     * Simulates decoding.
     *
     * @param trace the trace (sequences of equal length are expected; shorter ones are skipped at
     *     positions they lack)
     * @param workers W
     * @param batchPerWorker b
     * @param workersPerNode workers per node
     * @return the row, or null when the evaluation half holds fewer than W·b sequences
     */
    public static Row simulate(
            RoutingTrace trace, int workers, int batchPerWorker, int workersPerNode) {
        List<RoutingTrace.Sequence> all = trace.sequences();
        List<RoutingTrace.Sequence> eval = all.subList(all.size() / 2, all.size());
        int group = workers * batchPerWorker;
        int groups = eval.size() / group;
        if (groups == 0) {
            return null;
        }
        int k = trace.slots();
        Placement placement = Placement.roundRobin(trace.numExperts(), workers, workersPerNode);
        int length = eval.stream().mapToInt(RoutingTrace.Sequence::tokens).min().orElse(0);
        int steps = 0;
        double busiest = 0;
        double imbalance = 0;
        double idle = 0;
        double rows = 0;
        long assignments = 0;
        long local = 0;
        for (int layer = 0; layer < trace.numLayers(); layer++) {
            for (int g = 0; g < groups; g++) {
                for (int p = 0; p < length; p++) {
                    List<RoutingTrace.Sequence> step = new ArrayList<>();
                    for (int j = 0; j < group; j++) {
                        int[][] one = new int[trace.numLayers()][];
                        RoutingTrace.Sequence s = eval.get(g * group + j);
                        for (int l = 0; l < one.length; l++) {
                            one[l] = new int[k];
                            System.arraycopy(s.choices()[l], p * k, one[l], 0, k);
                        }
                        step.add(new RoutingTrace.Sequence(1, one));
                    }
                    ExchangeStep r =
                            TraceReplay.simulateStep(step, layer, batchPerWorker, k, placement);
                    steps++;
                    long max = 0;
                    int idleWorkers = 0;
                    for (long load : r.workerLoad()) {
                        max = Math.max(max, load);
                        idleWorkers += load == 0 ? 1 : 0;
                    }
                    busiest += max;
                    imbalance += r.imbalance();
                    idle += (double) idleWorkers / workers;
                    rows += r.remote();
                    assignments += r.assignments();
                    local += r.local();
                }
            }
        }
        double rowBytes = 2.0 * trace.hiddenSize() * TraceReplay.BYTES_PER_VALUE;
        return new Row(
                workers,
                batchPerWorker,
                steps,
                busiest / steps,
                imbalance / steps,
                idle / steps,
                rows * rowBytes / steps,
                (double) local / Math.max(1, assignments));
    }

    /**
     * Renders the decode table of a language-model trace (empty for other traces).
     *
     * @param trace the trace
     * @param workersPerNode workers per node
     * @return Markdown
     */
    public static String render(RoutingTrace trace, int workersPerNode) {
        if (!trace.model().startsWith("brown")) {
            return "";
        }
        StringBuilder md = new StringBuilder();
        md.append(
                "Decoding (one token per sequence and step, b sequences per worker, round-robin"
                        + " placement, mean over positions, sequence groups and layers):\n\n");
        md.append(
                "| W | b | tokens/step | busiest worker (assignments) | max/mean | idle workers"
                        + " | all-to-all per step and layer | local |\n|---|---|---|---|---|---|---|---|\n");
        for (int w : WORKERS) {
            for (int b : BATCH_PER_WORKER) {
                Row r = simulate(trace, w, b, workersPerNode);
                if (r == null) {
                    continue;
                }
                md.append(
                        String.format(
                                Locale.ROOT,
                                "| %d | %d | %d | %.2f | %.2f | %.0f%% | %.1f KB | %.0f%% |%n",
                                w,
                                b,
                                w * b,
                                r.busiestWorker(),
                                r.imbalance(),
                                100 * r.idleShare(),
                                r.bytes() / 1e3,
                                100 * r.localFraction()));
            }
        }
        return md.append('\n').toString();
    }
}
