package io.moezoo.bench;

import com.google.gson.JsonObject;
import io.moezoo.engine.model.CausalLm;
import io.moezoo.engine.tensor.TensorSource;
import io.moezoo.engine.tensor.TensorSources;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Random;

/**
 * The engine's steady prefill speed, in its own process: PASSES prompts of P random ids, each on a
 * fresh KV cache, timed one by one; the first half of the passes is warm-up (the JIT compiles the
 * multi-token kernels during the first one), the second half is reported as median, lowest and
 * highest tokens per second in one JSON line. {@link EngineRun} times one prefill after one warm-up
 * prompt (what {@code benchmarks/run.sh} compares with llama.cpp); this harness separates a change
 * of the prefill path from the noise of single runs on a shared machine (compare two engine jars in
 * alternating processes).
 *
 * <p>Usage: {@code PrefillRun DIR [PROMPT] [PASSES]} (defaults 128 and 40); run with {@code
 * --add-modules jdk.incubator.vector}.
 */
public final class PrefillRun {

    private PrefillRun() {}

    /**
     * Runs the measurement.
     *
     * @param args DIR [PROMPT] [PASSES]
     * @throws Exception if the checkpoint cannot be read
     */
    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args[0]);
        int prompt = args.length > 1 ? Integer.parseInt(args[1]) : 128;
        int passes = args.length > 2 ? Integer.parseInt(args[2]) : 40;
        if (prompt < 1 || passes < 2) {
            throw new IllegalArgumentException("PROMPT must be >= 1 and PASSES >= 2");
        }
        try (TensorSource source = TensorSources.open(dir)) {
            CausalLm model = CausalLm.load(source);
            Random random = new Random(1);
            double[] speeds = new double[passes - passes / 2];
            for (int pass = 0; pass < passes; pass++) {
                long[] ids = new long[prompt];
                for (int i = 0; i < prompt; i++) {
                    ids[i] = random.nextInt(EngineRun.PROMPT_IDS);
                }
                long t0 = System.nanoTime();
                model.forward(ids, model.newCache(), true);
                double speed = prompt / ((System.nanoTime() - t0) / 1e9);
                if (pass >= passes / 2) {
                    speeds[pass - passes / 2] = speed;
                }
            }
            Arrays.sort(speeds);
            JsonObject r = new JsonObject();
            r.addProperty("prompt", prompt);
            r.addProperty("timed_passes", speeds.length);
            r.addProperty("prefill_tok_s_median", speeds[speeds.length / 2]);
            r.addProperty("prefill_tok_s_min", speeds[0]);
            r.addProperty("prefill_tok_s_max", speeds[speeds.length - 1]);
            System.out.println(r);
        }
    }
}
