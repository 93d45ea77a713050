package io.moezoo.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.repository.zoo.ZooModel;
import io.moezoo.cli.serve.ChatPrompts;
import io.moezoo.cli.serve.ModelGenerator;
import io.moezoo.cli.serve.Server;
import io.moezoo.cli.serve.ServerOptions;
import io.moezoo.hf.GenerationDefaults;
import io.moezoo.hf.HfBlockFactory;
import io.moezoo.translators.text.GeneratedText;
import io.moezoo.translators.text.GenerationConfig;
import io.moezoo.translators.text.TextGenerationTranslator;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Server throughput: {@code moe-zoo serve}'s HTTP server over a benchmark checkpoint on the MoeJava
 * engine, with 1, 2 and 4 clients each streaming a completion ({@code "stream": true}, server-sent
 * events) of the same length at once, in interleaved rounds. Reports tokens/s in total (all
 * clients' tokens over the wall time) and per client (its tokens over its own request time), the
 * median over rounds, and writes a Markdown table.
 *
 * <p>Usage: {@code ServeBench DIR OUT.md [ROUNDS] [TOKENS] [PROMPT]}. DIR needs a tokenizer.json
 * ({@link WordTokenizer} writes one for a generated checkpoint).
 */
public final class ServeBench {

    private static final int[] CLIENTS = {1, 2, 4};

    private ServeBench() {}

    /**
     * Runs the benchmark.
     *
     * @param args DIR OUT.md [ROUNDS] [TOKENS] [PROMPT]
     * @throws Exception if the model cannot be served
     */
    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args[0]);
        Path out = Paths.get(args[1]);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int tokens = args.length > 3 ? Integer.parseInt(args[3]) : 32;
        int prompt = args.length > 4 ? Integer.parseInt(args[4]) : 16;
        WordTokenizer.ensure(dir);
        double[][] total = new double[CLIENTS.length][rounds];
        double[][] perClient = new double[CLIENTS.length][rounds];
        try (HuggingFaceTokenizer tokenizer =
                        HuggingFaceTokenizer.builder()
                                .optTokenizerPath(dir.resolve("tokenizer.json"))
                                .optTruncation(false)
                                .build();
                ModelGenerator generator = generator(dir, tokenizer);
                Server server =
                        new Server(
                                        generator,
                                        new ServerOptions(
                                                "127.0.0.1",
                                                0,
                                                1 << 20,
                                                tokens,
                                                CLIENTS[CLIENTS.length - 1],
                                                16))
                                .start()) {
            HttpClient http = HttpClient.newHttpClient();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS[CLIENTS.length - 1]);
            try {
                stream(http, server.url(), prompt(prompt, 0), 4); // warm-up
                for (int r = 0; r < rounds; r++) {
                    for (int c = 0; c < CLIENTS.length; c++) {
                        List<Future<double[]>> runs = new ArrayList<>();
                        long start = System.nanoTime();
                        for (int k = 0; k < CLIENTS[c]; k++) {
                            String text = prompt(prompt, 1000 * r + 10 * c + k);
                            Callable<double[]> client =
                                    () -> stream(http, server.url(), text, tokens);
                            runs.add(pool.submit(client));
                        }
                        double sumRates = 0;
                        long generated = 0;
                        for (Future<double[]> f : runs) {
                            double[] one = f.get();
                            generated += (long) one[0];
                            sumRates += one[0] / one[1];
                        }
                        double wall = (System.nanoTime() - start) / 1e9;
                        total[c][r] = generated / wall;
                        perClient[c][r] = sumRates / CLIENTS[c];
                        System.out.printf(
                                Locale.ROOT,
                                "round %d, %d client(s): %.2f tokens/s in total, %.2f per"
                                        + " client%n",
                                r + 1,
                                CLIENTS[c],
                                total[c][r],
                                perClient[c][r]);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
        write(out, dir, rounds, tokens, prompt, total, perClient);
    }

    private static ModelGenerator generator(Path dir, HuggingFaceTokenizer tokenizer)
            throws Exception {
        ZooModel<String, GeneratedText> model =
                HfBlockFactory.criteria(
                                dir, String.class, GeneratedText.class, HfBlockFactory.JAVA_ENGINE)
                        .optTranslator(
                                new TextGenerationTranslator(tokenizer, GenerationConfig.greedy(1)))
                        .build()
                        .loadModel();
        return new ModelGenerator(
                dir.getFileName().toString(),
                model,
                tokenizer,
                GenerationDefaults.NONE,
                ChatPrompts.none(),
                null,
                CLIENTS[CLIENTS.length - 1]);
    }

    /** A prompt of n random words of the word-level tokenizer (ids below 1000). */
    private static String prompt(int n, long seed) {
        Random random = new Random(seed);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : " ").append('w').append(random.nextInt(EngineRun.PROMPT_IDS));
        }
        return b.toString();
    }

    /**
     * Streams one completion; returns {tokens, seconds}. The checkpoints have no end-of-sequence
     * token, so every request generates exactly {@code tokens}; the last event must say "length".
     */
    private static double[] stream(HttpClient http, String url, String prompt, int tokens)
            throws Exception {
        String body =
                "{\"prompt\":\""
                        + prompt
                        + "\",\"max_tokens\":"
                        + tokens
                        + ",\"temperature\":0,\"stream\":true}";
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(url + "/v1/completions"))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
        long start = System.nanoTime();
        HttpResponse<java.io.InputStream> response =
                http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("HTTP " + response.statusCode());
        }
        boolean finished = false;
        try (BufferedReader reader =
                new BufferedReader(
                        new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                finished |= line.contains("\"finish_reason\":\"length\"");
            }
        }
        if (!finished) {
            throw new IllegalStateException("the stream did not end with finish_reason length");
        }
        return new double[] {tokens, (System.nanoTime() - start) / 1e9};
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static void write(
            Path out,
            Path dir,
            int rounds,
            int tokens,
            int prompt,
            double[][] total,
            double[][] perClient)
            throws java.io.IOException {
        StringBuilder md = new StringBuilder();
        md.append("| clients | tokens/s in total | tokens/s per client | total vs 1 client |\n")
                .append("|---:|---:|---:|---:|\n");
        double one = median(total[0]);
        for (int c = 0; c < CLIENTS.length; c++) {
            md.append(
                    String.format(
                            Locale.ROOT,
                            "| %d | %.2f | %.2f | %.2f× |%n",
                            CLIENTS[c],
                            median(total[c]),
                            median(perClient[c]),
                            median(total[c]) / one));
        }
        md.append(
                String.format(
                        Locale.ROOT,
                        "%n%s on MoeJava (%s), `moe-zoo serve --parallel 4`: each client streams a"
                                + " %d-token greedy completion of a %d-token prompt over loopback;"
                                + " medians of %d interleaved rounds, %d cores.%n",
                        dir.getFileName(),
                        System.getProperty("java.version"),
                        tokens,
                        prompt,
                        rounds,
                        Runtime.getRuntime().availableProcessors()));
        Files.writeString(out, md.toString());
        System.out.print(md);
    }
}
