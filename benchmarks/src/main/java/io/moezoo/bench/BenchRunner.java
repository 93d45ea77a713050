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

/**
 * Interleaved rounds: in each round every contender runs once in its own JVM ({@link EngineRun}),
 * followed by a bandwidth reading ({@link BandwidthRun}) of the same checkpoint; the table gives
 * the median and range per contender and the decode speed as a share of the round's bound.
 *
 * <p>Usage: {@code BenchRunner OUT.md ROUNDS PROMPT DECODE LABEL=ENGINE:PATH ...} with ENGINE
 * moejava or pytorch (PATH a checkpoint directory) or llama (PATH a GGUF file).
 */
public final class BenchRunner {

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
        for (int round = 0; round < rounds; round++) {
            for (Map.Entry<String, String[]> c : contenders.entrySet()) {
                String engine = c.getValue()[0];
                String dir = c.getValue()[1];
                JsonObject r =
                        engine.equals("llama")
                                ? run(LlamaRun.class, dir, prompt, decode)
                                : run(EngineRun.class, engine, dir, prompt, decode);
                Path weights = Paths.get(dir);
                JsonObject bw =
                        run(
                                BandwidthRun.class,
                                (Files.isDirectory(weights) ? largestFile(weights) : weights)
                                        .toString());
                r.add("bandwidth", bw);
                System.err.println("round " + round + " " + c.getKey() + ": " + r);
                results.computeIfAbsent(c.getKey(), k -> new ArrayList<>()).add(r);
            }
        }
        Files.writeString(out, table(results, rounds, prompt, decode));
        System.out.println(Files.readString(out));
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

    private static JsonObject run(Class<?> main, String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
        command.add("--add-modules");
        command.add("jdk.incubator.vector");
        command.add("-Xmx" + System.getProperty("bench.xmx", "4g"));
        for (String p : new String[] {"moezoo.engine.threads", "ai.djl.offline"}) {
            if (System.getProperty(p) != null) {
                command.add("-D" + p + "=" + System.getProperty(p));
            }
        }
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        Process process =
                new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException(
                    main.getSimpleName() + " " + String.join(" ", args) + " failed: " + output);
        }
        String[] lines = output.trim().split("\n");
        return JsonParser.parseString(lines[lines.length - 1]).getAsJsonObject();
    }

    private static String range(List<Double> values, String format) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        double median = sorted.get(sorted.size() / 2);
        return String.format(Locale.ROOT, format, median)
                + " ("
                + String.format(Locale.ROOT, format, sorted.get(0))
                + "–"
                + String.format(Locale.ROOT, format, sorted.get(sorted.size() - 1))
                + ")";
    }

    private static String table(
            Map<String, List<JsonObject>> results, int rounds, String prompt, String decode) {
        StringBuilder md = new StringBuilder();
        md.append("| contender | decode tok/s | share of bound | prefill tok/s (")
                .append(prompt)
                .append(") | load s | peak RSS GB | files GB |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, List<JsonObject>> e : results.entrySet()) {
            List<Double> decodeRates = new ArrayList<>();
            List<Double> shares = new ArrayList<>();
            List<Double> prefill = new ArrayList<>();
            List<Double> load = new ArrayList<>();
            List<Double> rss = new ArrayList<>();
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
                    .append(" |\n");
        }
        md.append("\n")
                .append(rounds)
                .append(
                        " interleaved rounds, one process per measurement; median (range). Decode: ")
                .append(decode)
                .append(" greedy tokens after the prompt. Share of bound: decode tok/s × bytes a")
                .append(" token reads / read bandwidth measured right after, same threads.\n");
        return md.toString();
    }
}
