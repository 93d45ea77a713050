package io.moezoo.bench;

import com.google.gson.JsonObject;
import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.args.LogFormat;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Map;
import java.util.Random;

/**
 * The llama.cpp measurement (java-llama.cpp 4.1.0, llama.cpp b4916) in its own process, printed as
 * one JSON line like {@link EngineRun}'s: load time, prefill and decode tokens per second on the
 * same random ids, same thread count, greedy, and peak resident memory.
 *
 * <p>The binding has no token-id API, but the server code it wraps takes a JSON array of ids as the
 * prompt; the array is put into the request's parameters as raw JSON. Prefill time is the time to
 * the first generated token less one decode step (the mean of the later steps).
 *
 * <p>Usage: {@code LlamaRun FILE.gguf [PROMPT] [DECODE]}.
 */
public final class LlamaRun {

    private LlamaRun() {}

    /**
     * Runs the measurement.
     *
     * @param args FILE.gguf [PROMPT] [DECODE]
     * @throws Exception if llama.cpp fails
     */
    public static void main(String[] args) throws Exception {
        Path file = Paths.get(args[0]);
        int prompt = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int decode = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        int vocab = EngineRun.PROMPT_IDS;
        int threads =
                Integer.getInteger(
                        "moezoo.engine.threads", Runtime.getRuntime().availableProcessors());
        LlamaModel.setLogger(LogFormat.TEXT, (level, message) -> {});
        long t0 = System.nanoTime();
        ModelParameters parameters =
                new ModelParameters()
                        .setModel(file.toString())
                        .setThreads(threads)
                        .setThreadsBatch(threads)
                        .setCtxSize(prompt + decode + 64)
                        .setBatchSize(Math.max(prompt, 32))
                        .setUbatchSize(Integer.getInteger("bench.ubatch", Math.max(prompt, 32)));
        try (LlamaModel model = new LlamaModel(parameters)) {
            double load = (System.nanoTime() - t0) / 1e9;
            long rssAfterLoad = ProcessMemory.resident();
            run(model, ids(prompt, vocab, 1), 8); // warm-up, as the Java engines get
            long[] times = run(model, ids(prompt, vocab, 2), decode + 1);
            double firstToken = (times[1] - times[0]) / 1e9;
            double steps = (times[2] - times[1]) / 1e9 / decode;
            JsonObject r = new JsonObject();
            r.addProperty("engine", "llama.cpp");
            r.addProperty("load_s", load);
            r.addProperty("prefill_tok_s", prompt / Math.max(1e-9, firstToken - steps));
            r.addProperty("decode_tok_s", 1 / steps);
            r.addProperty("rss_after_load", rssAfterLoad);
            r.addProperty("file_bytes", Files.size(file));
            r.addProperty("peak_rss", ProcessMemory.peakResident());
            System.out.println(r);
            System.out.flush();
            // The binding's server threads can keep close() and the JVM's exit waiting for minutes
            // after the last request; the measurement is complete, so end the process here.
            Runtime.getRuntime().halt(0);
        }
    }

    private static int[] ids(int n, int vocab, long seed) {
        Random random = new Random(seed);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = random.nextInt(vocab);
        }
        return ids;
    }

    /** Generates {@code tokens} tokens greedily; returns {start, first token, last token} times. */
    @SuppressWarnings("unchecked")
    private static long[] run(LlamaModel model, int[] prompt, int tokens) throws Exception {
        InferenceParameters request =
                new InferenceParameters("")
                        .setNPredict(tokens)
                        .setTemperature(0f)
                        .setTopK(1)
                        .setIgnoreEos(true)
                        .setCachePrompt(false);
        StringBuilder ids = new StringBuilder("[");
        for (int i = 0; i < prompt.length; i++) {
            ids.append(i == 0 ? "" : ",").append(prompt[i]);
        }
        Field field = request.getClass().getSuperclass().getDeclaredField("parameters");
        field.setAccessible(true);
        ((Map<String, String>) field.get(request)).put("prompt", ids.append(']').toString());
        long start = System.nanoTime();
        long first = 0;
        long last = 0;
        int count = 0;
        for (LlamaOutput output : model.generate(request)) {
            last = System.nanoTime();
            if (count++ == 0) {
                first = last;
            }
            if (output == null) {
                break;
            }
        }
        return new long[] {start, first, last};
    }
}
