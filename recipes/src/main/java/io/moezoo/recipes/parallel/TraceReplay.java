package io.moezoo.recipes.parallel;

import java.util.ArrayList;
import java.util.List;

/**
 * Replays a routing trace on W workers: the trace's sequences are split into a calibration half
 * (the first half, which only the load-aware placements see) and an evaluation half; the evaluation
 * half is cut into steps of {@code W · sequencesPerWorker} consecutive sequences, worker w holding
 * sequences {@code [w·s, (w+1)·s)} of each step (weak scaling: every worker keeps its micro-batch
 * whatever W is). Each layer gets its own placements.
 */
public final class TraceReplay {

    /** The capacity factors evaluated. */
    public static final double[] CAPACITY_FACTORS = {1.0, 1.25, 2.0};

    /** Bytes per value moved (BF16). */
    public static final int BYTES_PER_VALUE = 2;

    private TraceReplay() {}

    /**
     * The result of one (layer, W, placement), averaged over the evaluation steps.
     *
     * @param layer the MoE layer index
     * @param workers W
     * @param placement the placement strategy
     * @param steps the evaluation steps
     * @param tokensPerWorker mean tokens per worker and step
     * @param meanImbalance mean over steps of max/mean assignments per worker
     * @param worstImbalance the largest max/mean of any step
     * @param localFraction the share of assignments processed on the token's own worker
     * @param droplessBytes dispatch + combine bytes per step, one row per remote assignment
     * @param dedupBytes the same with one row per (token, destination worker)
     * @param interNodeFraction the share of remote assignments that cross nodes
     * @param nodeDedupBytes dispatch + combine bytes per step crossing nodes, one row per (token,
     *     destination node)
     * @param maxReceivedRows mean over steps of the most rows one worker receives in the dispatch
     * @param dropFraction per capacity factor, the share of assignments dropped
     * @param paddedBytes per capacity factor, dispatch + combine bytes per step of the fixed
     *     capacity buffers sent off-worker
     */
    public record Row(
            int layer,
            int workers,
            String placement,
            int steps,
            double tokensPerWorker,
            double meanImbalance,
            double worstImbalance,
            double localFraction,
            double droplessBytes,
            double dedupBytes,
            double interNodeFraction,
            double nodeDedupBytes,
            double maxReceivedRows,
            double[] dropFraction,
            double[] paddedBytes) {}

    /**
     * Replays a trace.
     *
     * @param trace the trace
     * @param workerCounts the W to simulate
     * @param sequencesPerWorker s, the sequences each worker holds per step
     * @param workersPerNode the workers per node
     * @return one row per (layer, W, placement) with at least one step, in that order
     */
    public static List<Row> replay(
            RoutingTrace trace, int[] workerCounts, int sequencesPerWorker, int workersPerNode) {
        List<RoutingTrace.Sequence> all = trace.sequences();
        List<RoutingTrace.Sequence> calibration = all.subList(0, all.size() / 2);
        List<RoutingTrace.Sequence> evaluation = all.subList(all.size() / 2, all.size());
        List<Row> rows = new ArrayList<>();
        for (int layer = 0; layer < trace.numLayers(); layer++) {
            long[] load = expertLoad(calibration, layer, trace.numExperts());
            for (int w : workerCounts) {
                int perStep = w * sequencesPerWorker;
                int steps = evaluation.size() / perStep;
                if (steps == 0) {
                    continue;
                }
                for (Placement p : placements(trace.numExperts(), w, load, workersPerNode)) {
                    List<ExchangeStep> results = new ArrayList<>();
                    for (int i = 0; i < steps; i++) {
                        List<RoutingTrace.Sequence> step =
                                evaluation.subList(i * perStep, (i + 1) * perStep);
                        results.add(
                                simulateStep(step, layer, sequencesPerWorker, trace.slots(), p));
                    }
                    rows.add(summarize(layer, p, results, trace.hiddenSize()));
                }
            }
        }
        return rows;
    }

    /**
     * The placements compared: contiguous, round-robin, load-aware, load-aware with one extra
     * replica slot per worker, and (with more than one node) load-aware inside each node with one
     * extra slot per worker.
     *
     * @param experts E
     * @param workers W
     * @param load calibration assignments per expert
     * @param workersPerNode workers per node
     * @return the placements
     */
    public static List<Placement> placements(
            int experts, int workers, long[] load, int workersPerNode) {
        List<Placement> p = new ArrayList<>();
        p.add(Placement.contiguous(experts, workers, workersPerNode));
        p.add(Placement.roundRobin(experts, workers, workersPerNode));
        p.add(Placement.loadAware("load-aware", load, workers, 0, workersPerNode));
        p.add(Placement.loadAware("load-aware +1 replica", load, workers, 1, workersPerNode));
        if (workers > workersPerNode && workers % workersPerNode == 0) {
            p.add(Placement.nodeLoadAware("per node +1 replica", load, workers, 1, workersPerNode));
        }
        return p;
    }

    /**
     * Counts the assignments per expert of a layer.
     *
     * @param sequences the sequences
     * @param layer the layer
     * @param experts E
     * @return assignments per expert
     */
    public static long[] expertLoad(List<RoutingTrace.Sequence> sequences, int layer, int experts) {
        long[] load = new long[experts];
        for (RoutingTrace.Sequence s : sequences) {
            for (int e : s.choices()[layer]) {
                if (e >= 0) {
                    load[e]++;
                }
            }
        }
        return load;
    }

    /**
     * Simulates one step: sequence j of the step lives on worker {@code j / sequencesPerWorker}.
     *
     * @param step the step's sequences
     * @param layer the layer
     * @param sequencesPerWorker s
     * @param slots k
     * @param placement the placement
     * @return the step's counts
     */
    public static ExchangeStep simulateStep(
            List<RoutingTrace.Sequence> step,
            int layer,
            int sequencesPerWorker,
            int slots,
            Placement placement) {
        int tokens = step.stream().mapToInt(RoutingTrace.Sequence::tokens).sum();
        int[] owner = new int[tokens];
        int[] choices = new int[tokens * slots];
        int at = 0;
        for (int j = 0; j < step.size(); j++) {
            RoutingTrace.Sequence s = step.get(j);
            System.arraycopy(s.choices()[layer], 0, choices, at * slots, s.tokens() * slots);
            for (int t = 0; t < s.tokens(); t++) {
                owner[at++] = j / sequencesPerWorker;
            }
        }
        return ExchangeStep.simulate(owner, choices, slots, placement, CAPACITY_FACTORS);
    }

    private static Row summarize(int layer, Placement p, List<ExchangeStep> steps, int hidden) {
        int n = steps.size();
        double rowBytes = 2.0 * hidden * BYTES_PER_VALUE;
        double imbalance = 0;
        double worst = 0;
        long assignments = 0;
        long local = 0;
        long tokenWorkers = 0;
        long interNode = 0;
        long tokenNodes = 0;
        double received = 0;
        double tokens = 0;
        int cfs = CAPACITY_FACTORS.length;
        double[] dropped = new double[cfs];
        double[] padded = new double[cfs];
        for (ExchangeStep s : steps) {
            imbalance += s.imbalance() / n;
            worst = Math.max(worst, s.imbalance());
            assignments += s.assignments();
            local += s.local();
            tokenWorkers += s.remoteTokenWorkers();
            interNode += s.interNode();
            tokenNodes += s.remoteTokenNodes();
            received += (double) s.maxReceived() / n;
            tokens += (double) s.tokens() / n / p.numWorkers();
            for (int c = 0; c < cfs; c++) {
                dropped[c] += s.dropped()[c];
                padded[c] += s.paddedRemoteRows()[c] * rowBytes / n;
            }
        }
        for (int c = 0; c < cfs; c++) {
            dropped[c] /= Math.max(1, assignments);
        }
        long remote = assignments - local;
        return new Row(
                layer,
                p.numWorkers(),
                p.name(),
                n,
                tokens,
                imbalance,
                worst,
                (double) local / Math.max(1, assignments),
                remote * rowBytes / n,
                tokenWorkers * rowBytes / n,
                remote == 0 ? 0 : (double) interNode / remote,
                tokenNodes * rowBytes / n,
                received,
                dropped,
                padded);
    }
}
