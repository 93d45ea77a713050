package io.moezoo.onnx.bench;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import io.moezoo.blocks.attention.AttentionSpec;
import io.moezoo.models.language.MoeCausalLm;
import io.moezoo.models.reward.LmDoubleLayerRewardModel;
import io.moezoo.onnx.LayerFixture;
import io.moezoo.onnx.moe.DispatchMode;
import io.moezoo.onnx.zoo.ZooExport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Predictions per second of the zoo models through DJL's PyTorch engine and through ONNX Runtime
 * (the exported graph), at batch 1 and 32, rounds interleaved (PyTorch, ONNX Runtime, PyTorch, …),
 * median over rounds. A harness, not a test: run it with the command in engines/onnx/README.md.
 *
 * <p>Arguments: {@code [rounds] [seconds per cell] [dispatch] [threads]} (default 5, 1.0, sparse,
 * 1). The thread count applies to ONNX Runtime's intra-op pool; give PyTorch the same with {@code
 * -Dai.djl.pytorch.num_threads=N -Dai.djl.pytorch.num_interop_threads=1}.
 */
public final class OnnxBenchmark {

    private OnnxBenchmark() {}

    /** One family: its artifact, its input's description and how to make a batch of inputs. */
    private record Family(
            String artifactId,
            Function<ZooModel<NDList, NDList>, String> input,
            Function<ZooModel<NDList, NDList>, Function<NDManager, Function<Integer, NDList>>>
                    inputs) {

        Family(
                String artifactId,
                String input,
                Function<ZooModel<NDList, NDList>, Function<NDManager, Function<Integer, NDList>>>
                        inputs) {
            this(artifactId, z -> input, inputs);
        }
    }

    /**
     * Runs the benchmark and prints a Markdown table.
     *
     * @param args rounds, seconds per cell, dispatch
     * @throws Exception if a model cannot be loaded or run
     */
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 1.0;
        DispatchMode mode =
                DispatchMode.valueOf(
                        (args.length > 2 ? args[2] : "sparse").toUpperCase(Locale.ROOT));
        String threads = args.length > 3 ? args[3] : "1";
        List<Family> families =
                List.of(
                        new Family(
                                "vit-moe-fashion-mnist",
                                "image 1×28×28",
                                z -> m -> b -> floats(m, new Shape(b, 1, 28, 28))),
                        new Family(
                                "time-moe-vega",
                                "128 steps",
                                z -> m -> b -> floats(m, new Shape(b, 128))),
                        new Family(
                                "dmoerm-brown",
                                OnnxBenchmark::rewardInput,
                                z -> OnnxBenchmark.reward(RewardLengths.of(z))),
                        new Family("brown-moe", "prefill of 32 tokens", OnnxBenchmark::language),
                        new Family(
                                "brown-moe",
                                "decode step after 32 cached tokens",
                                OnnxBenchmark::decode));
        Path tmp = Files.createTempDirectory("onnx-bench");
        System.out.printf(
                Locale.ROOT,
                "| model | input | batch | PyTorch pred/s | ONNX Runtime pred/s | ORT / PT |%n"
                        + "|---|---|---:|---:|---:|---:|%n");
        for (Family f : families) {
            Path dir = tmp.resolve(f.artifactId());
            ZooExport.exportArtifact(f.artifactId(), dir, mode);
            Criteria<NDList, NDList> criteria =
                    Criteria.builder()
                            .setTypes(NDList.class, NDList.class)
                            .optGroupId("io.moezoo")
                            .optArtifactId(f.artifactId())
                            .optEngine("PyTorch")
                            .optTranslator(new NoopTranslator())
                            .build();
            try (ZooModel<NDList, NDList> pt = criteria.loadModel();
                    Model ort = Model.newInstance("ort", "OnnxRuntime")) {
                ort.load(
                        dir,
                        "model",
                        java.util.Map.of("intraOpNumThreads", threads, "interOpNumThreads", "1"));
                Function<NDManager, Function<Integer, NDList>> make = f.inputs().apply(pt);
                try (Predictor<NDList, NDList> a = pt.newPredictor(new NoopTranslator());
                        Predictor<NDList, NDList> b = ort.newPredictor(new NoopTranslator())) {
                    for (int batch : new int[] {1, 32}) {
                        double[] ptRates = new double[rounds];
                        double[] ortRates = new double[rounds];
                        rate(a, pt.getNDManager(), make, batch, Math.max(1.0, seconds)); // warm-up
                        rate(b, ort.getNDManager(), make, batch, Math.max(1.0, seconds));
                        for (int r = 0; r < rounds; r++) {
                            ptRates[r] = rate(a, pt.getNDManager(), make, batch, seconds);
                            ortRates[r] = rate(b, ort.getNDManager(), make, batch, seconds);
                        }
                        double p = median(ptRates);
                        double o = median(ortRates);
                        System.out.printf(
                                Locale.ROOT,
                                "| %s | %s | %d | %.1f | %.1f | %.2f |%n",
                                f.artifactId(),
                                f.input().apply(pt),
                                batch,
                                p,
                                o,
                                o / p);
                    }
                }
            }
        }
    }

    private static Function<NDManager, Function<Integer, NDList>> language(
            ZooModel<NDList, NDList> model) {
        MoeCausalLm lm = (MoeCausalLm) model.getBlock();
        AttentionSpec a = (AttentionSpec) lm.getSpec().attention();
        int layers = lm.getSpec().numLayers();
        int vocab = lm.getSpec().vocabSize();
        return m ->
                b -> {
                    long[] ids = new long[b * 32];
                    for (int i = 0; i < ids.length; i++) {
                        ids[i] = (i * 7919L) % vocab;
                    }
                    NDList in = new NDList(m.create(ids, new Shape(b, 32)));
                    if (m.getEngine().getEngineName().equals("OnnxRuntime")) {
                        for (int l = 0; l < 2 * layers; l++) {
                            in.add(
                                    m.create(
                                            new float[0],
                                            new Shape(b, a.numKvHeads(), 0, a.headDim())));
                        }
                    }
                    return in;
                };
    }

    /**
     * A reward model's input lengths: 32 prompt and 64 response bytes for a byte-level model; the
     * largest prompt and response for a model over a language model (its spec's {@code
     * maxPromptTokens} and {@code maxResponseTokens}), with token ids below its vocabulary.
     */
    private record RewardLengths(String unit, int prompt, int response, int vocab) {

        static RewardLengths of(ZooModel<NDList, NDList> model) {
            if (model.getBlock() instanceof LmDoubleLayerRewardModel lm) {
                return new RewardLengths(
                        "tokens",
                        lm.getSpec().maxPromptTokens(),
                        lm.getSpec().maxResponseTokens(),
                        lm.getFeatures().getLanguageModel().getSpec().vocabSize());
            }
            return new RewardLengths("bytes", 32, 64, 122);
        }
    }

    private static String rewardInput(ZooModel<NDList, NDList> model) {
        RewardLengths l = RewardLengths.of(model);
        return String.format(
                Locale.ROOT,
                "pair side of %d %s (%d prompt, %d response)",
                l.prompt() + l.response(),
                l.unit(),
                l.prompt(),
                l.response());
    }

    /** A reward model's inputs {@code [B, prompt + response]}: ids, prompt and response masks. */
    private static Function<NDManager, Function<Integer, NDList>> reward(RewardLengths l) {
        int bytes = l.prompt() + l.response();
        int split = l.prompt();
        int range = Math.min(90, l.vocab() - 32);
        return m ->
                b -> {
                    long[] ids = new long[b * bytes];
                    float[] prompt = new float[b * bytes];
                    float[] response = new float[b * bytes];
                    for (int i = 0; i < ids.length; i++) {
                        int t = i % bytes;
                        ids[i] = 32 + (i * 31) % range;
                        prompt[i] = t < split ? 1 : 0;
                        response[i] = t < split ? 0 : 1;
                    }
                    Shape shape = new Shape(b, bytes);
                    return new NDList(
                            m.create(ids, shape),
                            m.create(prompt, shape),
                            m.create(response, shape));
                };
    }

    /** One cached decode step: ids {@code [B, 1]} and a 32-position cache, on both engines. */
    private static Function<NDManager, Function<Integer, NDList>> decode(
            ZooModel<NDList, NDList> model) {
        MoeCausalLm lm = (MoeCausalLm) model.getBlock();
        AttentionSpec a = (AttentionSpec) lm.getSpec().attention();
        int layers = lm.getSpec().numLayers();
        return m ->
                b -> {
                    long[] ids = new long[b];
                    java.util.Arrays.fill(ids, 262);
                    NDList in = new NDList(m.create(ids, new Shape(b, 1)));
                    Shape cache = new Shape(b, a.numKvHeads(), 32, a.headDim());
                    for (int l = 0; l < 2 * layers; l++) {
                        in.add(m.create(LayerFixture.gaussian(l, 1f, (int) cache.size()), cache));
                    }
                    return in;
                };
    }

    private static NDList floats(NDManager m, Shape shape) {
        return new NDList(m.create(LayerFixture.gaussian(1, 1f, (int) shape.size()), shape));
    }

    private static double rate(
            Predictor<NDList, NDList> predictor,
            NDManager manager,
            Function<NDManager, Function<Integer, NDList>> make,
            int batch,
            double seconds)
            throws Exception {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        long start = System.nanoTime();
        int calls = 0;
        do {
            try (NDManager scope = manager.newSubManager()) {
                NDList out = predictor.predict(make.apply(scope).apply(batch));
                out.close();
            }
            calls++;
        } while (System.nanoTime() < deadline);
        return calls * (double) batch / ((System.nanoTime() - start) / 1e9);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
