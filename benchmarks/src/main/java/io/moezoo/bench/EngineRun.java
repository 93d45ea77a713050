package io.moezoo.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonObject;
import io.moezoo.blocks.attention.KvCache;
import io.moezoo.engine.model.CausalLm;
import io.moezoo.engine.tensor.TensorSource;
import io.moezoo.engine.tensor.TensorSources;
import io.moezoo.hf.HfCheckpointLoader;
import io.moezoo.models.language.MoeCausalLm;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Random;

/**
 * One measurement in its own process, printed as one JSON line: load time, prefill tokens/s (a
 * prompt of P random ids), decode tokens/s (D greedy steps after it), peak resident memory, and the
 * weight bytes a decode step reads. A warm-up (a prompt of the same length, other ids, and 8 steps
 * on a separate sequence) runs before the timed part so that the JIT has compiled the kernels of
 * both phases (a 16-token warm-up left the multi-token kernels partly uncompiled: the timed
 * 128-token prefill then ran at about 75% of its steady speed); every contender, llama.cpp
 * included, gets the same warm-up.
 *
 * <p>Usage: {@code EngineRun moejava|pytorch DIR [PROMPT] [DECODE]}.
 */
public final class EngineRun {

    /** Prompt ids are drawn from [0, 1000), inside every shape's vocabulary, for every engine. */
    static final int PROMPT_IDS = 1000;

    private EngineRun() {}

    /**
     * Runs the measurement.
     *
     * @param args ENGINE DIR [PROMPT] [DECODE]
     * @throws Exception if the model cannot run
     */
    public static void main(String[] args) throws Exception {
        String engine = args[0];
        Path dir = Paths.get(args[1]);
        int prompt = args.length > 2 ? Integer.parseInt(args[2]) : 128;
        int decode = args.length > 3 ? Integer.parseInt(args[3]) : 32;
        JsonObject result =
                engine.equals("pytorch")
                        ? pytorch(dir, prompt, decode)
                        : moeJava(dir, prompt, decode);
        result.addProperty("engine", engine);
        result.addProperty("peak_rss", ProcessMemory.peakResident());
        System.out.println(result);
    }

    private static long[] ids(int n, int vocab, long seed) {
        Random random = new Random(seed);
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = random.nextInt(vocab);
        }
        return ids;
    }

    private static int argmax(float[] logits, int from, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (logits[from + i] > logits[from + best]) {
                best = i;
            }
        }
        return best;
    }

    private static JsonObject moeJava(Path dir, int prompt, int decode) throws Exception {
        long t0 = System.nanoTime();
        TensorSource source = TensorSources.open(dir);
        CausalLm model = CausalLm.load(source);
        double load = (System.nanoTime() - t0) / 1e9;
        long rssAfterLoad = ProcessMemory.resident();
        int vocab = model.spec().vocabSize();
        // Warm-up on its own sequence.
        io.moezoo.engine.model.KvCache warm = model.newCache();
        float[] logits = model.forward(ids(prompt, PROMPT_IDS, 1), warm, true);
        for (int i = 0; i < 8; i++) {
            logits = model.forward(new long[] {argmax(logits, 0, vocab)}, warm, true);
        }
        io.moezoo.engine.model.KvCache cache = model.newCache();
        long t1 = System.nanoTime();
        logits = model.forward(ids(prompt, PROMPT_IDS, 2), cache, true);
        long t2 = System.nanoTime();
        for (int i = 0; i < decode; i++) {
            logits = model.forward(new long[] {argmax(logits, 0, vocab)}, cache, true);
        }
        long t3 = System.nanoTime();
        JsonObject r = new JsonObject();
        r.addProperty("load_s", load);
        r.addProperty("prefill_tok_s", prompt / ((t2 - t1) / 1e9));
        r.addProperty("decode_tok_s", decode / ((t3 - t2) / 1e9));
        r.addProperty("rss_after_load", rssAfterLoad);
        r.addProperty("file_bytes", source.fileBytes());
        r.addProperty("bytes_per_token", model.bytesPerToken());
        r.addProperty("kv_bytes", 4 * cache.allocatedFloats());
        source.close();
        return r;
    }

    private static JsonObject pytorch(Path dir, int prompt, int decode) throws Exception {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            long t0 = System.nanoTime();
            MoeCausalLm model = HfCheckpointLoader.load(dir, manager);
            double load = (System.nanoTime() - t0) / 1e9;
            long rssAfterLoad = ProcessMemory.resident();
            int vocab = model.getSpec().vocabSize();
            int layers = model.getSpec().numLayers();
            ParameterStore ps = new ParameterStore(manager, false);
            try (KvCache warm = new KvCache(manager, layers)) {
                float[] logits = step(model, ps, manager, ids(prompt, PROMPT_IDS, 1), warm);
                for (int i = 0; i < 8; i++) {
                    logits =
                            step(
                                    model,
                                    ps,
                                    manager,
                                    new long[] {argmax(logits, logits.length - vocab, vocab)},
                                    warm);
                }
            }
            try (KvCache cache = new KvCache(manager, layers)) {
                long t1 = System.nanoTime();
                float[] logits = step(model, ps, manager, ids(prompt, PROMPT_IDS, 2), cache);
                long t2 = System.nanoTime();
                for (int i = 0; i < decode; i++) {
                    logits =
                            step(
                                    model,
                                    ps,
                                    manager,
                                    new long[] {argmax(logits, logits.length - vocab, vocab)},
                                    cache);
                }
                long t3 = System.nanoTime();
                JsonObject r = new JsonObject();
                r.addProperty("load_s", load);
                r.addProperty("prefill_tok_s", prompt / ((t2 - t1) / 1e9));
                r.addProperty("decode_tok_s", decode / ((t3 - t2) / 1e9));
                r.addProperty("rss_after_load", rssAfterLoad);
                return r;
            }
        }
    }

    private static float[] step(
            MoeCausalLm model, ParameterStore ps, NDManager manager, long[] ids, KvCache cache) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray logits =
                    model.logits(
                            ps, scope.create(ids, new Shape(1, ids.length)), cache, false, null);
            return logits.toFloatArray();
        }
    }
}
