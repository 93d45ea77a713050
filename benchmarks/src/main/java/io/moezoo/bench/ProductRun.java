package io.moezoo.bench;

import io.moezoo.blocks.spec.ExpertSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.RouterSpec;
import io.moezoo.engine.kernel.MatrixOps;
import io.moezoo.engine.kernel.Product;
import io.moezoo.engine.tensor.TensorSource;
import io.moezoo.engine.tensor.TensorSources;
import io.moezoo.engine.tensor.WeightMatrix;
import io.moezoo.models.language.DecoderSpec;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The read speed of the engine's one-token products on a checkpoint's own mapped weights, in its
 * own process: the {@code lm_head} product through {@link MatrixOps} (its units shared by the
 * caller and the worker threads), the same rows cut into one contiguous part per thread, each
 * thread looping over its rows (what the threads reach without any scheduling), the {@code lm_head}
 * product for 2 and 3 tokens (a decode step of a batch of sequences; the rate counts the weight
 * bytes once), and a decode step's first expert batch of layer 0 (gate and up projections of top-k
 * random experts) through {@link MatrixOps}. Prints one JSON line per measurement with the median
 * and best of the passes in weight bytes per second.
 *
 * <p>The {@code lm_head} is read again every pass, as it is every decode step, so on a machine
 * whose last-level cache holds a good part of it (this one reports 480 MiB of L3, shared with other
 * guests) it reads faster than the randomly chosen experts.
 *
 * <p>Usage: {@code ProductRun DIR [PASSES]} (an MoE checkpoint with an untied {@code lm_head}); run
 * with {@code --add-modules jdk.incubator.vector}.
 */
public final class ProductRun {

    private ProductRun() {}

    /** One measured pass; returns the weight bytes it read. */
    private interface Pass {
        long run() throws Exception;
    }

    /**
     * Runs the measurement.
     *
     * @param args DIR [PASSES]
     * @throws Exception if the checkpoint cannot be read
     */
    public static void main(String[] args) throws Exception {
        Path dir = Paths.get(args[0]);
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        try (TensorSource source = TensorSources.open(dir)) {
            DecoderSpec spec = source.spec();
            int h = spec.hiddenSize();
            WeightMatrix head = source.matrix("lm_head.weight", spec.vocabSize(), h);
            MoeLayerSpec layer = spec.ffn().get(0);
            ExpertSpec experts = layer.experts();
            RouterSpec router = layer.router();
            int inter = experts.intermediateSize();
            List<WeightMatrix> gateUp = new ArrayList<>();
            for (int e = 0; e < experts.numExperts(); e++) {
                String prefix = "model.layers.0.mlp.experts." + e + ".";
                gateUp.add(source.matrix(prefix + "gate_proj.weight", inter, h));
                gateUp.add(source.matrix(prefix + "up_proj.weight", inter, h));
            }
            Random random = new Random(7);
            float[] x = new float[h];
            for (int i = 0; i < h; i++) {
                x[i] = (float) random.nextGaussian();
            }
            float[] logits = new float[head.rows()];
            measure(
                    "lm_head, MatrixOps",
                    passes,
                    () -> {
                        MatrixOps.multiply(head, x, logits);
                        return head.byteSize();
                    });
            measure("lm_head, one contiguous part per thread", passes, () -> parts(head, x));
            for (int tokens = 2; tokens <= 3; tokens++) {
                // A decode step of a batch of sequences: the weight bytes are read once for all.
                int n = tokens;
                float[] xs = new float[n * h];
                for (int i = 0; i < xs.length; i++) {
                    xs[i] = (float) random.nextGaussian();
                }
                float[] ys = new float[n * head.rows()];
                measure(
                        "lm_head, " + n + " tokens, MatrixOps",
                        passes,
                        () -> {
                            MatrixOps.run(new Product(head, xs, 0, ys, 0, n));
                            return head.byteSize();
                        });
            }
            measure(
                    "experts' gate and up (top-" + router.topK() + "), MatrixOps",
                    passes,
                    () -> {
                        List<Product> batch = new ArrayList<>();
                        long bytes = 0;
                        int[] chosen =
                                random.ints(0, experts.numExperts())
                                        .distinct()
                                        .limit(router.topK())
                                        .toArray();
                        for (int e : chosen) {
                            for (WeightMatrix w : gateUp.subList(2 * e, 2 * e + 2)) {
                                batch.add(Product.of(w, x, new float[w.rows()]));
                                bytes += w.byteSize();
                            }
                        }
                        MatrixOps.run(batch);
                        return bytes;
                    });
        }
    }

    private static long parts(WeightMatrix w, float[] x) throws InterruptedException {
        int threads = MatrixOps.threads();
        float[] y = new float[w.rows()];
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            int from = (int) ((long) w.rows() * t / threads);
            int to = (int) ((long) w.rows() * (t + 1) / threads);
            workers[t] =
                    new Thread(
                            () -> {
                                for (int r = from; r < to; r++) {
                                    y[r] = w.dot(r, x, 0);
                                }
                            });
            workers[t].start();
        }
        for (Thread worker : workers) {
            worker.join();
        }
        return w.byteSize();
    }

    private static void measure(String name, int passes, Pass pass) throws Exception {
        int warmup = Math.max(3, passes / 5);
        double[] rates = new double[passes];
        for (int p = -warmup; p < passes; p++) {
            long start = System.nanoTime();
            long bytes = pass.run();
            double rate = bytes / ((System.nanoTime() - start) / 1e9);
            if (p >= 0) {
                rates[p] = rate;
            }
        }
        Arrays.sort(rates);
        System.out.printf(
                "{\"product\": \"%s\", \"bytes_per_s_median\": %.3e, \"bytes_per_s_best\": %.3e,"
                        + " \"threads\": %d}%n",
                name, rates[passes / 2], rates[passes - 1], MatrixOps.threads());
    }
}
