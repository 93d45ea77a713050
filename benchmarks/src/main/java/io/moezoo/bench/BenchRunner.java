package io.moezoo.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Interleaved rounds: in each round every contender runs once in its own JVM ({@link EngineRun}),
 * followed by a bandwidth reading ({@link BandwidthRun}) of the same checkpoint; the table gives
 * the median and range per contender and the decode speed as a share of the round's bound.
 *
 * <p>The MoeJava runs use {@code -Xmx512m -XX:+UseSerialGC}: the weights are mapped files, so the
 * heap holds only activations, and a small serial heap keeps the resident memory close to the
 * files' size.
 *
 * <p>Usage: {@code BenchRunner OUT.md ROUNDS PROMPT DECODE LABEL=ENGINE:PATH ...} with ENGINE
 * moejava, moejava25 (the same on Java 25) or pytorch (PATH a checkpoint directory), or llama (PATH
 * a GGUF file).
 */
public final class BenchRunner {

    /** llama.cpp's timing lines: "prompt eval time = … ( … tokens per second)" and "eval time". */
    private static final Pattern LLAMA_TIMING =
            Pattern.compile(
                    "(prompt eval|eval) time =[^(]*\\([^,]*,\\s*([0-9.]+) tokens per second\\)");

    /** This JVM's java, which runs every contender but {@code moejava25}. */
    private static final String JAVA =
            Paths.get(System.getProperty("java.home"), "bin", "java").toString();

    /** The machines' Java 25, for {@code moejava25} ({@code -Dbench.jdk25} overrides). */
    private static final String NEWER_JAVA =
            System.getProperty("bench.jdk25", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    /**
     * The bandwidth run uses Java 25 where present: its loads from a mapped segment stream at the
     * memory's speed, while Java 17's loads from a buffer cost enough per vector to understate it.
     */
    private static final String BANDWIDTH_JAVA =
            Files.isExecutable(Paths.get(NEWER_JAVA)) ? NEWER_JAVA : JAVA;

    private BenchRunner() {}

    /**
     * Runs the rounds and writes the table.
     *
     * @param args OUT.md ROUNDS PROMPT DECODE LABEL=ENGINE:DIR ...
     * @throws Exception if a run fails
     */
    public static void main(String[] args) throws Exception {
        Path out = Paths.get(args[0]);
        int rounds = Integer.parseInt(args[1]);
        String prompt = args[2];
        String decode = args[3];
        Map<String, String[]> contenders = new LinkedHashMap<>();
        for (int i = 4; i < args.length; i++) {
            String[] labelRest = args[i].split("=", 2);
            contenders.put(labelRest[0], labelRest[1].split(":", 2));
        }
        Map<String, List<JsonObject>> results = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (Map.Entry<String, String[]> c : contenders.entrySet()) {
                String engine = c.getValue()[0];
                String dir = c.getValue()[1];
                JsonObject r;
                try {
                    r =
                            engine.equals("llama")
                                    ? run(LlamaRun.class, JAVA, "-Xmx256m", dir, prompt, decode)
                                    : run(
                                            EngineRun.class,
                                            engine.equals("moejava25") ? NEWER_JAVA : JAVA,
                                            engine.startsWith("moejava")
                                                    ? "-Xmx512m -XX:+UseSerialGC"
                                                    : "-Xmx2g",
                                            engine.startsWith("moejava") ? "moejava" : engine,
                                            dir,
                                            prompt,
                                            decode);
                } catch (IOException e) {
                    // A contender that crashes is a result too (llama.cpp b4916 aborts on Q4_0
                    // MoE): the table says so, and the other rounds go on.
                    System.err.println("round " + round + " " + c.getKey() + " failed");
                    failures.put(c.getKey(), firstFailureLine(e.getMessage()));
                    results.computeIfAbsent(c.getKey(), k -> new ArrayList<>());
                    continue;
                }
                Path weights = Paths.get(dir);
                JsonObject bw =
                        run(
                                BandwidthRun.class,
                                BANDWIDTH_JAVA,
                                "-Xmx256m",
                                (Files.isDirectory(weights) ? largestFile(weights) : weights)
                                        .toString());
                r.add("bandwidth", bw);
                System.err.println("round " + round + " " + c.getKey() + ": " + r);
                results.computeIfAbsent(c.getKey(), k -> new ArrayList<>()).add(r);
            }
        }
        Files.writeString(out, table(results, failures, rounds, prompt, decode));
        System.out.println(Files.readString(out));
    }

    /** The line of a failed run's output that says why (an assertion, an exception), shortened. */
    private static String firstFailureLine(String output) {
        String why = "failed";
        for (String line : String.valueOf(output).split("\n")) {
            if (line.contains("GGML_ASSERT") || line.contains("Exception")) {
                why = line.trim();
                break;
            }
        }
        why = why.replaceAll(".*(GGML_ASSERT\\([^)]*\\)\\)?).*", "$1");
        return why.length() > 120 ? why.substring(0, 120) + "…" : why;
    }

    private static Path largestFile(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.filter(
                            f ->
                                    f.toString().endsWith(".safetensors")
                                            || f.toString().endsWith(".gguf"))
                    .max((a, b) -> Long.compare(a.toFile().length(), b.toFile().length()))
                    .orElseThrow();
        }
    }

    /** Runs a main class in a new JVM with the given heap options, returning its last line. */
    private static JsonObject run(Class<?> main, String java, String jvmOptions, String... args)
            throws Exception {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        command.addAll(List.of(jvmOptions.split(" ")));
        for (String p :
                new String[] {
                    "moezoo.engine.threads", "moezoo.engine.prefault", "ai.djl.offline"
                }) {
            if (System.getProperty(p) != null) {
                command.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        Path log = Files.createTempFile("bench-", ".log");
        Process process =
                new ProcessBuilder(command)
                        .redirectError(ProcessBuilder.Redirect.to(log.toFile()))
                        .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = process.waitFor();
        String errors = Files.readString(log);
        Files.delete(log);
        if (code != 0) {
            throw new IOException(
                    main.getSimpleName()
                            + " "
                            + String.join(" ", args)
                            + " failed: "
                            + output
                            + errors);
        }
        String[] lines = output.trim().split("\n");
        JsonObject result = JsonParser.parseString(lines[lines.length - 1]).getAsJsonObject();
        // llama.cpp's own timings of a request: the last ones logged are the measured request's.
        Matcher m = LLAMA_TIMING.matcher(errors);
        while (m.find()) {
            result.addProperty(
                    m.group(1).equals("prompt eval") ? "own_prefill_tok_s" : "own_decode_tok_s",
                    Double.parseDouble(m.group(2)));
        }
        return result;
    }

    private static String range(List<Double> values, String format) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        double median =
                n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        return String.format(Locale.ROOT, format, median)
                + " ("
                + String.format(Locale.ROOT, format, sorted.get(0))
                + "–"
                + String.format(Locale.ROOT, format, sorted.get(sorted.size() - 1))
                + ")";
    }

    private static String table(
            Map<String, List<JsonObject>> results,
            Map<String, String> failures,
            int rounds,
            String prompt,
            String decode) {
        StringBuilder md = new StringBuilder();
        md.append("| contender | decode tok/s | share of bound | prefill tok/s (")
                .append(prompt)
                .append(
                        ") | load s | peak RSS GB | files GB | llama.cpp's own decode / prefill |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, List<JsonObject>> e : results.entrySet()) {
            if (e.getValue().isEmpty()) {
                md.append("| ")
                        .append(e.getKey())
                        .append(" | failed: `")
                        .append(failures.getOrDefault(e.getKey(), "failed").replace('|', '/'))
                        .append("` | | | | | | |\n");
                continue;
            }
            List<Double> decodeRates = new ArrayList<>();
            List<Double> shares = new ArrayList<>();
            List<Double> prefill = new ArrayList<>();
            List<Double> load = new ArrayList<>();
            List<Double> rss = new ArrayList<>();
            List<Double> ownDecode = new ArrayList<>();
            List<Double> ownPrefill = new ArrayList<>();
            double files = 0;
            for (JsonObject r : e.getValue()) {
                decodeRates.add(r.get("decode_tok_s").getAsDouble());
                prefill.add(r.get("prefill_tok_s").getAsDouble());
                load.add(r.get("load_s").getAsDouble());
                rss.add(r.get("peak_rss").getAsDouble() / 1e9);
                if (r.has("bytes_per_token")) {
                    double bound =
                            r.getAsJsonObject("bandwidth").get("bandwidth_median").getAsDouble()
                                    / r.get("bytes_per_token").getAsDouble();
                    shares.add(r.get("decode_tok_s").getAsDouble() / bound);
                }
                if (r.has("own_decode_tok_s") && r.has("own_prefill_tok_s")) {
                    ownDecode.add(r.get("own_decode_tok_s").getAsDouble());
                    ownPrefill.add(r.get("own_prefill_tok_s").getAsDouble());
                }
                if (r.has("file_bytes")) {
                    files = r.get("file_bytes").getAsDouble() / 1e9;
                }
            }
            md.append("| ")
                    .append(e.getKey())
                    .append(" | ")
                    .append(range(decodeRates, "%.1f"))
                    .append(" | ")
                    .append(shares.isEmpty() ? "" : range(shares, "%.2f"))
                    .append(" | ")
                    .append(range(prefill, "%.1f"))
                    .append(" | ")
                    .append(range(load, "%.2f"))
                    .append(" | ")
                    .append(range(rss, "%.2f"))
                    .append(" | ")
                    .append(files == 0 ? "" : String.format(Locale.ROOT, "%.2f", files))
                    .append(" | ")
                    .append(
                            ownDecode.isEmpty()
                                    ? ""
                                    : range(ownDecode, "%.1f") + " / " + range(ownPrefill, "%.1f"))
                    .append(" |\n");
        }
        md.append("\n")
                .append(rounds)
                .append(
                        " interleaved rounds, one process per measurement; median (range). Decode: ")
                .append(decode)
                .append(" greedy tokens after the prompt. Share of bound: decode tok/s × bytes a")
                .append(" token reads / read bandwidth measured right after, same threads.")
                .append(" Decode and prefill are wall-clock times seen by the Java caller;")
                .append(" for llama.cpp the last column gives its own timings of the same request")
                .append(" (its server's eval and prompt-eval lines).\n");
        return md.toString();
    }
}
