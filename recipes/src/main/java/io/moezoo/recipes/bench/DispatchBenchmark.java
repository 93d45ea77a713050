package io.moezoo.recipes.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Progress;
import io.moezoo.blocks.dispatch.DenseMaskedMixture;
import io.moezoo.blocks.dispatch.PaddedDispatcher;
import io.moezoo.blocks.experts.SwiGluFeedForward;
import io.moezoo.blocks.layer.MoeLayer;
import io.moezoo.blocks.routing.RoutingDecision;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.RouterPresets;
import io.moezoo.blocks.spec.SharedExpertSpec;
import io.moezoo.blocks.spec.SwiGluExpertSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * MoE layer dispatch benchmark: sorted dispatch against a dense SwiGLU FFN of the same activated
 * FLOPs, the naive per-expert loop and the dense-masked path, all measured in the same run.
 *
 * <p>Run: {@code mvn -q -pl moe-blocks compile exec:java@bench} or {@code moe-zoo bench} (system
 * properties {@code bench.tokens}, {@code bench.iterations}). Prints a Markdown table and writes it
 * to {@code recipes/target/benchmark.md}. Times are medians over the iterations after one warm-up.
 */
public final class DispatchBenchmark {

    private interface Impl {
        NDArray run(ParameterStore ps, NDArray x, boolean training);
    }

    private record Case(
            String name, int hidden, int intermediate, int experts, int topK, int sharedExperts) {}

    private DispatchBenchmark() {}

    /**
     * Runs the benchmark.
     *
     * @param args ignored
     * @throws IOException if the table cannot be written
     */
    public static void main(String[] args) throws IOException {
        int tokens = Integer.getInteger("bench.tokens", 4096);
        int iterations = Integer.getInteger("bench.iterations", 5);
        String table = run(tokens, iterations, null);
        System.out.print(table);
        Path out = Paths.get("target", "benchmark.md");
        Files.createDirectories(out.getParent());
        Files.writeString(out, table, StandardCharsets.UTF_8);
    }

    /**
     * Runs the benchmark and returns its Markdown table.
     *
     * @param tokens T, the tokens per forward pass
     * @param iterations timed runs per cell (median reported), after one warm-up
     * @param progress told after each of the 2 shapes x 3 measurements, may be null
     * @return the table
     */
    public static String run(int tokens, int iterations, Progress progress) {
        if (tokens <= 0 || iterations <= 0) {
            throw new IllegalArgumentException(
                    "tokens and iterations must be > 0, got " + tokens + " and " + iterations);
        }
        List<String> rows = new ArrayList<>();
        rows.add(
                String.format(
                        Locale.ROOT,
                        "T = %d tokens, float32, %d threads, median of %d runs after 1 warm-up; ratios are against the dense FFN of the same run.",
                        tokens,
                        Runtime.getRuntime().availableProcessors(),
                        iterations));
        rows.add("");
        rows.add(
                "| shape | implementation | forward ms | fwd / dense | fwd+bwd ms | fwd+bwd / dense | decode T=1 ms |");
        rows.add("|---|---|---:|---:|---:|---:|---:|");
        Case[] cases = {
            new Case("Mixtral H=512 I=1792 E=8 k=2", 512, 1792, 8, 2, 0),
            new Case("DeepSeekMoE H=512 I=256 E=64 k=6 +2 shared", 512, 256, 64, 6, 2)
        };
        if (progress != null) {
            progress.reset("Benchmark", cases.length * 3L);
            progress.start(0);
        }
        for (Case c : cases) {
            rows.addAll(run(c, tokens, iterations, progress));
        }
        if (progress != null) {
            progress.end();
        }
        return String.join("\n", rows) + "\n";
    }

    private static List<String> run(Case c, int tokens, int iterations, Progress progress) {
        Engine.getInstance().setRandomSeed(1);
        List<String> rows = new ArrayList<>();
        try (NDManager model = NDManager.newBaseManager()) {
            MoeLayerSpec spec =
                    MoeLayerSpec.of(
                            RouterPresets.qwenMoe(c.experts(), c.topK(), false),
                            new SwiGluExpertSpec(c.experts(), c.hidden(), c.intermediate()));
            if (c.sharedExperts() > 0) {
                spec =
                        spec.withSharedExpert(
                                new SharedExpertSpec(c.sharedExperts() * c.intermediate(), false));
            }
            MoeLayer moe = init(new MoeLayer(spec), model, -1, c.hidden());
            int activated = c.topK() * c.intermediate() + c.sharedExperts() * c.intermediate();
            SwiGluFeedForward dense =
                    init(
                            new SwiGluFeedForward(c.hidden(), activated, false),
                            model,
                            -1,
                            c.hidden());
            Impl denseImpl = (ps, x, t) -> dense.apply(ps, x, t);
            Impl sorted = (ps, x, t) -> moe.forward(ps, new NDList(x), t).head();
            Impl naive =
                    (ps, x, t) ->
                            withShared(
                                    moe,
                                    ps,
                                    x,
                                    t,
                                    NaiveExpertLoop.forward(
                                            ps, x, route(moe, ps, x, t), moe.getExperts(), t));
            Impl padded =
                    (ps, x, t) ->
                            withShared(
                                    moe,
                                    ps,
                                    x,
                                    t,
                                    new PaddedDispatcher()
                                            .dispatch(
                                                    ps,
                                                    x,
                                                    route(moe, ps, x, t),
                                                    moe.getExperts(),
                                                    t));
            Impl masked =
                    (ps, x, t) ->
                            withShared(
                                    moe,
                                    ps,
                                    x,
                                    t,
                                    DenseMaskedMixture.forward(
                                            ps, x, route(moe, ps, x, t), moe.getExperts()));
            String[] names = {
                "dense SwiGLU FFN (I=" + activated + ")",
                "sorted dispatch (ours, default)",
                "padded dispatch (ours, C = max load)",
                "naive per-expert loop",
                "dense-masked (all experts)"
            };
            Impl[] impls = {denseImpl, sorted, padded, naive, masked};
            double[] fwd = time(model, impls, tokens, c.hidden(), iterations, false);
            step(progress);
            double[] bwd = time(model, impls, tokens, c.hidden(), iterations, true);
            step(progress);
            double[] decode =
                    time(model, Arrays.copyOf(impls, 4), 1, c.hidden(), iterations * 20, false);
            step(progress);
            for (int i = 0; i < impls.length; i++) {
                rows.add(
                        String.format(
                                Locale.ROOT,
                                "| %s | %s | %.1f | %.2fx | %.1f | %.2fx | %s |",
                                c.name(),
                                names[i],
                                fwd[i],
                                fwd[i] / fwd[0],
                                bwd[i],
                                bwd[i] / bwd[0],
                                i >= decode.length
                                        ? "n/a"
                                        : String.format(Locale.ROOT, "%.3f", decode[i])));
            }
        }
        return rows;
    }

    private static void step(Progress progress) {
        if (progress != null) {
            progress.increment(1);
        }
    }

    private static <B extends Block> B init(B block, NDManager manager, long... shape) {
        Engine.getInstance().setRandomSeed(1234);
        block.initialize(manager, DataType.FLOAT32, new Shape(shape));
        return block;
    }

    private static NDArray gaussian(NDManager manager, long seed, long... shape) {
        Random rng = new Random(seed);
        Shape s = new Shape(shape);
        float[] v = new float[Math.toIntExact(s.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return manager.create(v, s);
    }

    private static RoutingDecision route(
            MoeLayer moe, ParameterStore ps, NDArray x, boolean training) {
        return moe.getRouter().route(ps, x, Math.toIntExact(x.getShape().get(0)), training);
    }

    private static NDArray withShared(
            MoeLayer moe, ParameterStore ps, NDArray x, boolean training, NDArray routed) {
        return moe.getSharedExpert() == null
                ? routed
                : routed.add(moe.getSharedExpert().apply(ps, x, training));
    }

    /** Times the implementations round-robin, so that machine drift hits all alike. */
    private static double[] time(
            NDManager model,
            Impl[] impls,
            int tokens,
            int hidden,
            int iterations,
            boolean backward) {
        double[][] ms = new double[impls.length][iterations];
        for (int i = -1; i < iterations; i++) {
            for (int k = 0; k < impls.length; k++) {
                try (NDManager scope = model.newSubManager()) {
                    NDArray x = gaussian(scope, 100 + i, tokens, hidden);
                    ParameterStore ps = new ParameterStore(scope, false);
                    long start = System.nanoTime();
                    if (backward) {
                        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                            gc.backward(impls[k].run(ps, x, true).sum());
                        }
                    } else {
                        impls[k].run(ps, x, false).sum().getFloat();
                    }
                    long elapsed = System.nanoTime() - start;
                    if (i >= 0) {
                        ms[k][i] = elapsed / 1e6;
                    }
                }
            }
        }
        double[] median = new double[impls.length];
        for (int k = 0; k < impls.length; k++) {
            Arrays.sort(ms[k]);
            median[k] = ms[k][iterations / 2];
        }
        return median;
    }
}
