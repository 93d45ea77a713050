package io.moezoo.recipes.parallel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Records routing traces from the zoo models (unless they exist and {@code --reuse} is given),
 * replays them for 2, 4, 8 and 64 workers and writes the tables into {@code
 * docs/expert-parallelism.md} between the markers {@code <!-- ep-sim:begin -->} and {@code <!--
 * ep-sim:end -->} (and into {@code <traces>/tables.md}).
 *
 * <p>Usage: {@code ExpertParallelSimulation [--traces DIR] [--doc FILE] [--reuse]}.
 */
public final class ExpertParallelSimulation {

    /** The worker counts simulated. */
    public static final int[] WORKERS = {2, 4, 8, 64};

    /** Workers per node in the hierarchical view. */
    public static final int WORKERS_PER_NODE = 8;

    static final String BEGIN = "<!-- ep-sim:begin -->";
    static final String END = "<!-- ep-sim:end -->";

    /** A model to trace: its id, the sequences to record and the sequences per worker. */
    private record Subject(String id, int sequences, int perWorker) {}

    private static final List<Subject> SUBJECTS =
            List.of(
                    new Subject("brown-moe", 1024, 4),
                    new Subject("vit-moe-fashion-mnist", 2048, 8),
                    new Subject("time-moe-vega", 512, 2));

    private ExpertParallelSimulation() {}

    /**
     * Runs the simulation.
     *
     * @param args {@code [--traces DIR] [--doc FILE] [--reuse]}
     * @throws Exception if a model, the data or a file cannot be read or written
     */
    public static void main(String[] args) throws Exception {
        Path traces = Path.of("target", "ep-sim");
        Path doc = Path.of("docs", "expert-parallelism.md");
        boolean reuse = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--traces" -> traces = Path.of(args[++i]);
                case "--doc" -> doc = Path.of(args[++i]);
                case "--reuse" -> reuse = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        StringBuilder tables = new StringBuilder();
        for (Subject s : SUBJECTS) {
            Path file = traces.resolve(s.id() + ".trace.gz");
            RoutingTrace trace;
            if (reuse && Files.exists(file)) {
                trace = RoutingTrace.read(file);
            } else {
                long start = System.nanoTime();
                trace = record(s);
                trace.write(file);
                System.out.printf(
                        "recorded %s: %d sequences, %d tokens in %.1f s -> %s%n",
                        s.id(),
                        trace.sequences().size(),
                        trace.totalTokens(),
                        (System.nanoTime() - start) / 1e9,
                        file);
            }
            List<TraceReplay.Row> rows =
                    TraceReplay.replay(trace, WORKERS, s.perWorker(), WORKERS_PER_NODE);
            tables.append(EpTables.render(trace, s.perWorker(), rows));
            tables.append(DecodeReplay.render(trace, WORKERS_PER_NODE));
        }
        Files.writeString(traces.resolve("tables.md"), tables, StandardCharsets.UTF_8);
        if (Files.exists(doc)) {
            Files.writeString(doc, splice(Files.readString(doc), tables.toString()));
            System.out.println("tables written into " + doc);
        }
        System.out.print(tables);
    }

    private static RoutingTrace record(Subject s) throws Exception {
        return switch (s.id()) {
            case "brown-moe" -> TraceRecorder.brown(s.sequences());
            case "vit-moe-fashion-mnist" -> TraceRecorder.vision(s.sequences());
            default -> TraceRecorder.timeSeries(s.sequences());
        };
    }

    /**
     * Replaces the text between the markers.
     *
     * @param document the document
     * @param tables the new text
     * @return the document with the tables spliced in
     * @throws IOException if the markers are missing or out of order
     */
    static String splice(String document, String tables) throws IOException {
        int begin = document.indexOf(BEGIN);
        int end = document.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IOException("the document lacks " + BEGIN + " ... " + END);
        }
        return document.substring(0, begin + BEGIN.length())
                + "\n"
                + tables
                + document.substring(end);
    }
}
