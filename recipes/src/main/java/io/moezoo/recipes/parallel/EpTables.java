package io.moezoo.recipes.parallel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders replay rows of one trace as the Markdown tables of {@code docs/expert-parallelism.md}.
 */
public final class EpTables {

    private EpTables() {}

    /**
     * Renders the tables of one model.
     *
     * @param trace the trace replayed
     * @param sequencesPerWorker s, the sequences per worker and step
     * @param rows the replay rows
     * @return Markdown
     */
    public static String render(
            RoutingTrace trace, int sequencesPerWorker, List<TraceReplay.Row> rows) {
        StringBuilder md = new StringBuilder();
        List<String> placements = new ArrayList<>();
        Map<String, List<TraceReplay.Row>> byLayerWorkers = new LinkedHashMap<>();
        for (TraceReplay.Row r : rows) {
            if (!placements.contains(r.placement())) {
                placements.add(r.placement());
            }
            byLayerWorkers
                    .computeIfAbsent(r.layer() + "/" + r.workers(), k -> new ArrayList<>())
                    .add(r);
        }
        md.append(
                String.format(
                        Locale.ROOT,
                        "#### `%s` — %d MoE layer(s), E = %d, k = %d, H = %d; artifact %s%n%n"
                                + "Trace: %d sequences, %d tokens (%s). Each worker holds %d"
                                + " sequence(s) per step; the first half of the trace calibrates the"
                                + " load-aware placements, the second half is replayed.%n%n",
                        trace.model(),
                        trace.numLayers(),
                        trace.numExperts(),
                        trace.slots(),
                        trace.hiddenSize(),
                        trace.version(),
                        trace.sequences().size(),
                        trace.totalTokens(),
                        trace.source(),
                        sequencesPerWorker));
        md.append(
                "Load imbalance, max/mean assignments per worker (mean over steps; worst step in"
                        + " brackets):\n\n");
        header(md, "layer | W | steps | tokens/worker", placements);
        for (List<TraceReplay.Row> group : byLayerWorkers.values()) {
            TraceReplay.Row first = group.get(0);
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %d | %d | %d | %.0f |",
                            first.layer(),
                            first.workers(),
                            first.steps(),
                            first.tokensPerWorker()));
            for (TraceReplay.Row r : group) {
                md.append(
                        String.format(
                                Locale.ROOT,
                                " %.2f (%.2f) |",
                                r.meanImbalance(),
                                r.worstImbalance()));
            }
            md.append(" — |".repeat(placements.size() - group.size())).append('\n');
        }
        md.append(
                "\nDropless all-to-all per step (dispatch + combine, BF16, all workers together; in"
                        + " brackets, MB with one row per (token, destination worker)) and the share"
                        + " of assignments that stay on their worker:\n\n");
        header(md, "layer | W", placements);
        for (List<TraceReplay.Row> group : byLayerWorkers.values()) {
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %d | %d |",
                            group.get(0).layer(),
                            group.get(0).workers()));
            for (TraceReplay.Row r : group) {
                md.append(
                        String.format(
                                Locale.ROOT,
                                " %s (%.2f) · %.0f%% |",
                                megabytes(r.droplessBytes()),
                                r.dedupBytes() / 1e6,
                                100 * r.localFraction()));
            }
            md.append(" — |".repeat(placements.size() - group.size())).append('\n');
        }
        md.append(
                "\nCapacity per worker group (B tokens per worker, C = ceil(k·B·cf/E)): the share of"
                        + " assignments dropped (the same for every W, since B does not change with W), and"
                        + " at W = 8 the fixed-buffer all-to-all per step against the dropless one:\n\n");
        md.append(
                "| layer | B | dropped cf 1.0 | cf 1.25 | cf 2.0 | W = 8 buffers cf 1.0 | cf 1.25"
                        + " | cf 2.0 | dropless |\n|---|---|---|---|---|---|---|---|---|\n");
        for (List<TraceReplay.Row> group : byLayerWorkers.values()) {
            TraceReplay.Row r = find(group, "round-robin");
            if (r.workers() != 8) {
                continue;
            }
            md.append(String.format(Locale.ROOT, "| %d | %.0f |", r.layer(), r.tokensPerWorker()));
            for (double d : r.dropFraction()) {
                md.append(String.format(Locale.ROOT, " %.1f%% |", 100 * d));
            }
            for (double b : r.paddedBytes()) {
                md.append(' ').append(megabytes(b)).append(" |");
            }
            md.append(' ').append(megabytes(r.droplessBytes())).append(" |\n");
        }
        md.append(
                "\nW = 64 on 8 nodes of 8 workers: share of remote assignments that cross nodes,"
                        + " bytes crossing nodes with one row per (token, node), and all off-worker bytes"
                        + " with one row per (token, worker) against one per assignment:\n\n");
        md.append(
                "| layer | placement | inter-node share | inter-node, per (token, node) |"
                        + " per (token, worker) | per assignment |\n|---|---|---|---|---|---|\n");
        for (List<TraceReplay.Row> group : byLayerWorkers.values()) {
            for (TraceReplay.Row r : group) {
                if (r.workers() != 64) {
                    continue;
                }
                md.append(
                        String.format(
                                Locale.ROOT,
                                "| %d | %s | %.0f%% | %s | %s | %s |%n",
                                r.layer(),
                                r.placement(),
                                100 * r.interNodeFraction(),
                                megabytes(r.nodeDedupBytes()),
                                megabytes(r.dedupBytes()),
                                megabytes(r.droplessBytes())));
            }
        }
        return md.append('\n').toString();
    }

    private static void header(StringBuilder md, String first, List<String> placements) {
        md.append("| ").append(first);
        for (String p : placements) {
            md.append(" | ").append(p);
        }
        md.append(" |\n|");
        int columns = first.split("\\|").length + placements.size();
        md.append("---|".repeat(columns)).append('\n');
    }

    private static TraceReplay.Row find(List<TraceReplay.Row> group, String placement) {
        return group.stream()
                .filter(r -> r.placement().equals(placement))
                .findFirst()
                .orElse(group.get(0));
    }

    /**
     * Formats bytes as MB (10^6 bytes) with two decimals.
     *
     * @param bytes the bytes
     * @return e.g. {@code "1.38 MB"}
     */
    public static String megabytes(double bytes) {
        return String.format(Locale.ROOT, "%.2f MB", bytes / 1e6);
    }
}
