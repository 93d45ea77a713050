package io.moezoo.zoo.bench;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.BlockFactory;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import io.moezoo.blocks.attention.KvCache;
import io.moezoo.blocks.kernel.MatVec;
import io.moezoo.translators.text.GeneratedText;
import io.moezoo.translators.text.GenerationConfig;
import io.moezoo.translators.text.TextGenerationTranslator;
import io.moezoo.zoo.language.HfBlockFactory;
import io.moezoo.zoo.language.HfCheckpointLoader;
import io.moezoo.zoo.language.MoeCausalLm;
import io.moezoo.zoo.language.StatelessBlockFactory;
import io.moezoo.zoo.language.WordTokenizer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Prefill and decode throughput of a synthetic Mixtral-shaped checkpoint (about 0.5B parameters,
 * float32) next to the memory-bandwidth bound measured in the same run, and the peak resident
 * memory while loading.
 *
 * <p>Run: {@code mvn -q install -DskipTests && mvn -q -pl zoo test-compile exec:exec@bench} (writes
 * the 2 GB checkpoint to {@code target/bench-mixtral} once). The decode bound is (read bandwidth) /
 * (bytes of weights a token activates: attention, router, k experts per layer, norms and the LM
 * head). Decode runs on the engine path (the kernel off, every operation on PyTorch) and on the
 * host-vector path (the hidden state a Java array, the products on the Java Vector API kernel of
 * {@code moe-zoo-engine-pytorch}, see {@link MatVec}).
 *
 * <p>The machine's speed drifts (a shared VM), so the measurements are paired: each round reads the
 * bandwidth for about as long as a decode run takes (repeated {@code sum}s over 1 GB) right before
 * and right after the host-vector decode, and that decode's share of the bound uses the mean of the
 * two windows. The table gives the median and the range of these per-round shares, and also the
 * share against the fastest single {@code sum} of the whole run, a burst of a few tens of
 * milliseconds.
 */
public final class DecodeBenchmark {

    private static final int VOCAB = 32000;
    private static final int HIDDEN = 1024;
    private static final int LAYERS = 8;
    private static final int HEADS = 16;
    private static final int KV_HEADS = 4;
    private static final int EXPERTS = 8;
    private static final int TOP_K = 2;
    private static final int INTERMEDIATE = 2048;
    private static final int ROUNDS = 7;

    /** Decode steps and timed runs of the translator measurement. */
    private static final int TRANSLATOR_STEPS = 32;

    private static final int TRANSLATOR_RUNS = 3;

    /** Host-vector decode runs before the measured rounds. */
    private static final int WARM_UP_RUNS = 3;

    private DecodeBenchmark() {}

    /**
     * Runs the benchmark.
     *
     * @param args ignored
     * @throws Exception if the checkpoint cannot be written or loaded
     */
    public static void main(String[] args) throws Exception {
        Path dir = Paths.get("target", "bench-mixtral");
        long parameters = writeCheckpoint(dir);
        long weightBytes = parameters * 4;
        boolean kernel = MatVec.isEnabled();
        MatVec.setEnabled(false);
        double engineGemv = gemvBandwidth();
        MatVec.setEnabled(true);
        double kernelGemv = kernel ? gemvBandwidth() : Double.NaN;
        long before = rss("VmRSS");
        resetPeak();
        List<String> rows = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager()) {
            long start = System.nanoTime();
            MoeCausalLm model = HfCheckpointLoader.load(dir, manager);
            double loadSeconds = (System.nanoTime() - start) / 1e9;
            long peak = rss("VmHWM");
            ParameterStore ps = new ParameterStore(manager, false);
            Random rng = new Random(1);
            long[] prompt = new long[128];
            for (int i = 0; i < prompt.length; i++) {
                prompt[i] = rng.nextInt(VOCAB);
            }
            runPrefill(model, ps, manager, prompt);
            double prefill = runPrefill(model, ps, manager, prompt);
            int steps = 32;
            MatVec.setEnabled(false);
            runDecode(model, ps, manager, prompt, 4); // warm-up
            MatVec.setEnabled(true);
            // Warm-up of the measured path: JIT compilation, and the first pass of allocation over
            // fresh heap pages (page faults), as a long-running decoder has long since done.
            double windowSeconds = 1.0;
            for (int run = 0; kernel && run < WARM_UP_RUNS; run++) {
                windowSeconds = runDecode(model, ps, manager, prompt, steps);
            }
            // Rounds: read window, host-vector decode, read window, engine decode.
            double engineDecode = 0;
            double kernelDecode = kernel ? 0 : Double.NaN;
            double kernelShare = Double.NaN; // of the best kernel round's time per token
            double sustained = 0;
            List<Double> pairedShares = new ArrayList<>();
            Bandwidth burst = new Bandwidth();
            try (NDManager reads = manager.newSubManager()) {
                NDArray big = reads.ones(new Shape(256L * 1024 * 1024)); // 1 GiB of float32
                big.sum().getFloat();
                for (int round = 0; round < ROUNDS; round++) {
                    double readBefore = burst.sustained(big, windowSeconds);
                    if (kernel) {
                        MatVec.setEnabled(true);
                        long nanos = MatVec.kernelNanos();
                        double seconds = runDecode(model, ps, manager, prompt, steps);
                        double tokensPerSecond = steps / seconds;
                        windowSeconds = seconds;
                        double readAfter = burst.sustained(big, windowSeconds);
                        double bandwidth = (readBefore + readAfter) / 2;
                        sustained = Math.max(sustained, Math.max(readBefore, readAfter));
                        pairedShares.add(tokensPerSecond * perToken() / bandwidth);
                        if (tokensPerSecond > kernelDecode) {
                            kernelDecode = tokensPerSecond;
                            kernelShare = (MatVec.kernelNanos() - nanos) / 1e9 / seconds;
                        }
                    } else {
                        sustained = Math.max(sustained, readBefore);
                    }
                    MatVec.setEnabled(false);
                    engineDecode =
                            Math.max(
                                    engineDecode,
                                    steps / runDecode(model, ps, manager, prompt, steps));
                    MatVec.setEnabled(true);
                }
            }
            long perToken = perToken();
            double sustainedBound = sustained / perToken;
            double burstBound = burst.best / perToken;
            Collections.sort(pairedShares);
            rows.add(
                    String.format(
                            Locale.ROOT,
                            "Synthetic Mixtral-shaped checkpoint: %,d parameters (%.2f GB float32), %d layers, H=%d, E=%d, k=%d, %d threads.",
                            parameters,
                            weightBytes / 1e9,
                            LAYERS,
                            HIDDEN,
                            EXPERTS,
                            TOP_K,
                            Runtime.getRuntime().availableProcessors()));
            rows.add("");
            rows.add("| measure | value |");
            rows.add("|---|---:|");
            rows.add(
                    String.format(
                            Locale.ROOT,
                            "| read bandwidth, sustained: torch sum over 1 GB repeated for about a decode run's time (best of %d windows) | %.2f GB/s |",
                            kernel ? 2 * ROUNDS : ROUNDS,
                            sustained / 1e9));
            rows.add(
                    String.format(
                            Locale.ROOT,
                            "| read bandwidth, burst: the fastest single sum of the run | %.2f GB/s |",
                            burst.best / 1e9));
            rows.add(
                    String.format(
                            Locale.ROOT,
                            "| weights read per decoded token | %.1f MB |",
                            perToken / 1e6));
            rows.add(
                    String.format(
                            Locale.ROOT,
                            "| decode bound = bandwidth / bytes per token: sustained / burst | %.2f / %.2f tokens/s |",
                            sustainedBound,
                            burstBound));
            rows.add(
                    String.format(
                            Locale.ROOT,
                            "| matrix-vector bandwidth, PyTorch (linear, 1 row x 131 MB) | %.2f GB/s |",
                            engineGemv / 1e9));
            rows.add(
                    String.format(
                            Locale.ROOT,
                            "| matrix-vector bandwidth, %s | %s |",
                            kernel ? MatVec.kernelName() : "Java kernel",
                            kernel
                                    ? String.format(Locale.ROOT, "%.2f GB/s", kernelGemv / 1e9)
                                    : "not installed (run with --add-modules jdk.incubator.vector)"));
            rows.add(
                    String.format(
                            Locale.ROOT,
                            "| decode (KV cache, %d steps, best of %d), engine path (every operation on PyTorch) | %.2f tokens/s = %.0f%% of the sustained bound |",
                            steps,
                            ROUNDS,
                            engineDecode,
                            100 * engineDecode / sustainedBound));
            if (kernel) {
                rows.add(
                        String.format(
                                Locale.ROOT,
                                "| decode (KV cache, %d steps, best of %d), host-vector path, %s | %.2f tokens/s (%.2fx the engine path) |",
                                steps,
                                ROUNDS,
                                MatVec.kernelName(),
                                kernelDecode,
                                kernelDecode / engineDecode));
                rows.add(
                        String.format(
                                Locale.ROOT,
                                "| host-vector decode / bound read around it, per round: median (range) | **%.0f%%** (%.0f-%.0f%%) |",
                                100 * pairedShares.get(pairedShares.size() / 2),
                                100 * pairedShares.get(0),
                                100 * pairedShares.get(pairedShares.size() - 1)));
                rows.add(
                        String.format(
                                Locale.ROOT,
                                "| best host-vector decode / sustained bound, / burst bound | %.0f%%, %.0f%% |",
                                100 * kernelDecode / sustainedBound,
                                100 * kernelDecode / burstBound));
                rows.add(
                        String.format(
                                Locale.ROOT,
                                "| time per decoded token on the host-vector path: matrix-vector products / everything else | %.1f ms / %.1f ms (the products stream %.1f GB/s) |",
                                1000 * kernelShare / kernelDecode,
                                1000 * (1 - kernelShare) / kernelDecode,
                                perToken * kernelDecode / kernelShare / 1e9));
            }
            rows.add(
                    String.format(
                            Locale.ROOT,
                            "| prefill (%d tokens) | %.1f tokens/s |",
                            prompt.length,
                            prompt.length / prefill));
            rows.add(String.format(Locale.ROOT, "| load time | %.1f s |", loadSeconds));
            rows.add(
                    String.format(
                            Locale.ROOT,
                            "| peak RSS growth while loading / float32 weight size | %.2fx (%.2f GB / %.2f GB) |",
                            (peak - before) / (double) weightBytes,
                            (peak - before) / 1e9,
                            weightBytes / 1e9));
        }
        if (kernel) {
            Path tokenizer =
                    WordTokenizer.write(
                            Paths.get("target", "bench-tokenizer", "tokenizer.json"), VOCAB);
            rows.add(
                    String.format(
                            Locale.ROOT,
                            "| decode through Criteria, Predictor and TextGenerationTranslator (greedy, %d steps, best of %d) | %.2f tokens/s |",
                            TRANSLATOR_STEPS,
                            TRANSLATOR_RUNS,
                            translatorDecode(dir, tokenizer, HfBlockFactory.class)));
            rows.add(
                    String.format(
                            Locale.ROOT,
                            "| the same through a block without IncrementalDecoder (the whole cache passed to forward and returned at every step) | %.2f tokens/s |",
                            translatorDecode(dir, tokenizer, StatelessBlockFactory.class)));
        }
        String table = String.join("\n", rows) + "\n";
        System.out.print(table);
        Files.writeString(
                Paths.get("target", "decode-benchmark.md"), table, StandardCharsets.UTF_8);
    }

    /**
     * Decode speed as an application sees it: the model loaded by {@code Criteria} with a block
     * factory, greedy generation through a predictor, timed between the first and the last streamed
     * token (so the prefill is left out).
     */
    private static double translatorDecode(
            Path dir, Path tokenizerJson, Class<? extends BlockFactory> factory) throws Exception {
        StringBuilder prompt = new StringBuilder();
        Random rng = new Random(2);
        for (int i = 0; i < 128; i++) {
            prompt.append(i == 0 ? "" : " ").append('w').append(rng.nextInt(VOCAB));
        }
        List<Long> stamps = new ArrayList<>();
        GenerationConfig config =
                GenerationConfig.greedy(TRANSLATOR_STEPS + 1)
                        .withOnToken(token -> stamps.add(System.nanoTime()));
        double best = 0;
        try (HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson);
                ZooModel<String, GeneratedText> model =
                        HfBlockFactory.criteria(dir, String.class, GeneratedText.class)
                                .optArgument("blockFactory", factory.getName())
                                .optTranslator(new TextGenerationTranslator(tokenizer, config))
                                .build()
                                .loadModel();
                Predictor<String, GeneratedText> predictor = model.newPredictor()) {
            for (int run = 0; run <= TRANSLATOR_RUNS; run++) { // run 0 warms up
                stamps.clear();
                predictor.predict(prompt.toString());
                double seconds = (stamps.get(TRANSLATOR_STEPS) - stamps.get(0)) / 1e9;
                if (run > 0) {
                    best = Math.max(best, TRANSLATOR_STEPS / seconds);
                }
            }
        }
        return best;
    }

    private static double runPrefill(
            MoeCausalLm model, ParameterStore ps, NDManager manager, long[] prompt) {
        try (NDManager scope = manager.newSubManager()) {
            long start = System.nanoTime();
            model.logits(ps, scope.create(prompt, new Shape(1, prompt.length)), null, false, null)
                    .get("0, -1, 0")
                    .getFloat();
            return (System.nanoTime() - start) / 1e9;
        }
    }

    private static double runDecode(
            MoeCausalLm model, ParameterStore ps, NDManager manager, long[] prompt, int steps) {
        try (KvCache cache = new KvCache(manager, LAYERS)) {
            try (NDManager scope = manager.newSubManager()) {
                model.logits(
                        ps, scope.create(prompt, new Shape(1, prompt.length)), cache, false, null);
            }
            long token = 1;
            long start = System.nanoTime();
            for (int s = 0; s < steps; s++) {
                try (NDManager scope = manager.newSubManager()) {
                    NDArray logits =
                            model.logits(
                                    ps,
                                    scope.create(new long[] {token}, new Shape(1, 1)),
                                    cache,
                                    false,
                                    null);
                    token = logits.get("0, -1, :").argMax().getLong();
                }
            }
            return (System.nanoTime() - start) / 1e9;
        }
    }

    /** The bytes of weights one decoded token reads. */
    private static long perToken() {
        long headDim = HIDDEN / HEADS;
        long attention = (long) HIDDEN * (HIDDEN + 2 * KV_HEADS * headDim) + (long) HIDDEN * HIDDEN;
        long experts = (long) TOP_K * 3 * HIDDEN * INTERMEDIATE;
        return (LAYERS * (attention + experts + (long) EXPERTS * HIDDEN + 2L * HIDDEN)
                        + (long) VOCAB * HIDDEN
                        + HIDDEN)
                * 4;
    }

    /** Read bandwidth measured by PyTorch's sum; remembers the fastest single sum (the burst). */
    private static final class Bandwidth {

        private double best;

        /** Sums the array repeatedly for at least the given time; returns bytes per second. */
        double sustained(NDArray big, double seconds) {
            double bytes = big.getShape().size() * 4.0;
            long start = System.nanoTime();
            long elapsed;
            int sums = 0;
            do {
                long t = System.nanoTime();
                big.sum().getFloat();
                long now = System.nanoTime();
                best = Math.max(best, bytes / ((now - t) / 1e9));
                sums++;
                elapsed = now - start;
            } while (elapsed < seconds * 1e9);
            return sums * bytes / (elapsed / 1e9);
        }
    }

    /**
     * The bytes per second a one-row product streams over a 32000 x 1024 matrix through {@link
     * MatVec} (PyTorch's own product when the kernel is off).
     */
    private static double gemvBandwidth() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray w = manager.ones(new Shape(VOCAB, HIDDEN));
            NDArray x = manager.ones(new Shape(1, HIDDEN));
            double best = Double.MAX_VALUE;
            for (int i = 0; i < 12; i++) { // the first calls compile the kernel
                long start = System.nanoTime();
                try (NDManager scope = manager.newSubManager()) {
                    NDArray y = MatVec.linear(x, w);
                    y.attach(scope);
                    y.getFloat(0, 0);
                }
                best = Math.min(best, (System.nanoTime() - start) / 1e9);
            }
            return w.getShape().size() * 4.0 / best;
        }
    }

    private static long rss(String field) throws IOException {
        for (String line : Files.readAllLines(Paths.get("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        throw new IOException(field + " not found in /proc/self/status");
    }

    private static void resetPeak() {
        try {
            Files.writeString(Paths.get("/proc/self/clear_refs"), "5");
        } catch (IOException e) {
            System.err.println("cannot reset the peak RSS: " + e.getMessage());
        }
    }

    /** Writes the checkpoint (hub Mixtral key layout, random N(0, 0.02) weights) unless present. */
    private static long writeCheckpoint(Path dir) throws IOException {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        long headDim = HIDDEN / HEADS;
        shapes.put("model.embed_tokens.weight", new long[] {VOCAB, HIDDEN});
        for (int l = 0; l < LAYERS; l++) {
            String p = "model.layers." + l + ".";
            shapes.put(p + "input_layernorm.weight", new long[] {HIDDEN});
            shapes.put(p + "post_attention_layernorm.weight", new long[] {HIDDEN});
            shapes.put(p + "self_attn.q_proj.weight", new long[] {HEADS * headDim, HIDDEN});
            shapes.put(p + "self_attn.k_proj.weight", new long[] {KV_HEADS * headDim, HIDDEN});
            shapes.put(p + "self_attn.v_proj.weight", new long[] {KV_HEADS * headDim, HIDDEN});
            shapes.put(p + "self_attn.o_proj.weight", new long[] {HIDDEN, HEADS * headDim});
            shapes.put(p + "block_sparse_moe.gate.weight", new long[] {EXPERTS, HIDDEN});
            for (int e = 0; e < EXPERTS; e++) {
                String x = p + "block_sparse_moe.experts." + e + ".";
                shapes.put(x + "w1.weight", new long[] {INTERMEDIATE, HIDDEN});
                shapes.put(x + "w3.weight", new long[] {INTERMEDIATE, HIDDEN});
                shapes.put(x + "w2.weight", new long[] {HIDDEN, INTERMEDIATE});
            }
        }
        shapes.put("model.norm.weight", new long[] {HIDDEN});
        shapes.put("lm_head.weight", new long[] {VOCAB, HIDDEN});
        long total = 0;
        StringBuilder header = new StringBuilder("{");
        long offset = 0;
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long n = 1;
            for (long d : e.getValue()) {
                n *= d;
            }
            total += n;
            header.append(header.length() == 1 ? "" : ",")
                    .append('"')
                    .append(e.getKey())
                    .append("\":{\"dtype\":\"F32\",\"shape\":")
                    .append(java.util.Arrays.toString(e.getValue()).replace(" ", ""))
                    .append(",\"data_offsets\":[")
                    .append(offset)
                    .append(',')
                    .append(offset + n * 4)
                    .append("]}");
            offset += n * 4;
        }
        header.append('}');
        Path file = dir.resolve("model.safetensors");
        if (Files.exists(file) && Files.size(file) > offset) {
            return total;
        }
        Files.createDirectories(dir);
        Files.writeString(
                dir.resolve("config.json"),
                String.format(
                        Locale.ROOT,
                        "{\"model_type\":\"mixtral\",\"vocab_size\":%d,\"hidden_size\":%d,\"intermediate_size\":%d,\"num_hidden_layers\":%d,"
                                + "\"num_attention_heads\":%d,\"num_key_value_heads\":%d,\"num_local_experts\":%d,\"num_experts_per_tok\":%d,"
                                + "\"rms_norm_eps\":1e-5,\"rope_theta\":1000000.0,\"tie_word_embeddings\":false}",
                        VOCAB,
                        HIDDEN,
                        INTERMEDIATE,
                        LAYERS,
                        HEADS,
                        KV_HEADS,
                        EXPERTS,
                        TOP_K));
        byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
        Random rng = new Random(7);
        try (FileChannel out =
                FileChannel.open(
                        file,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer length =
                    ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length);
            length.flip();
            out.write(length);
            out.write(ByteBuffer.wrap(h));
            ByteBuffer chunk = ByteBuffer.allocate(1 << 22).order(ByteOrder.LITTLE_ENDIAN);
            for (long i = 0; i < total; i++) {
                if (!chunk.hasRemaining()) {
                    chunk.flip();
                    out.write(chunk);
                    chunk.clear();
                }
                chunk.putFloat((float) (rng.nextGaussian() * 0.02));
            }
            chunk.flip();
            out.write(chunk);
        }
        return total;
    }
}
