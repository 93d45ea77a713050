package io.moezoo.onnx.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import ai.djl.translate.NoopTranslator;
import io.moezoo.blocks.attention.AttentionSpec;
import io.moezoo.blocks.spec.CapacityTopKSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.RouterPresets;
import io.moezoo.blocks.spec.SharedExpertSpec;
import io.moezoo.blocks.spec.SwiGluExpertSpec;
import io.moezoo.models.language.DecoderSpec;
import io.moezoo.models.reward.LanguageModelFeatures;
import io.moezoo.models.reward.LmArmoRewardModel;
import io.moezoo.models.reward.LmDoubleLayerRewardModel;
import io.moezoo.models.reward.LmFeatureWindow;
import io.moezoo.models.reward.LmRewardSpec;
import io.moezoo.onnx.LayerFixture;
import io.moezoo.onnx.OrtRunner;
import io.moezoo.onnx.graph.OnnxModel;
import io.moezoo.onnx.graph.OnnxTensor;
import io.moezoo.onnx.moe.DispatchMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class RewardExporterTest {

    private static final int V = 60;
    private static final int H = 16;
    private static final long START = 0;

    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"dmoerm-brown", "armorm-brown"})
    void zooRewardModelsMatchPyTorch(String id) throws Exception {
        Criteria<NDList, NDList> criteria =
                Criteria.builder()
                        .setTypes(NDList.class, NDList.class)
                        .optGroupId("io.moezoo")
                        .optArtifactId(id)
                        .optEngine("PyTorch")
                        .optTranslator(new NoopTranslator())
                        .build();
        try (ZooModel<NDList, NDList> model = criteria.loadModel()) {
            int batch = 5;
            // Byte-level models: past the encoder's maxPositionEmbeddings (64), RoPE is computed,
            // not tabled. A model over a language model reads token ids, at most its
            // maxPromptTokens + maxResponseTokens (read from its spec, not assumed).
            int bytes = 100;
            int[] split = new int[batch];
            int[] end = new int[batch];
            int vocab = 122;
            for (int b = 0; b < batch; b++) {
                split[b] = 8 + 4 * b;
                end[b] = bytes - b;
            }
            LmFeatureWindow spec = null;
            LanguageModelFeatures features = null;
            if (model.getBlock() instanceof LmDoubleLayerRewardModel lm) {
                spec = lm.getSpec();
                features = lm.getFeatures();
            } else if (model.getBlock() instanceof LmArmoRewardModel lm) {
                spec = lm.getSpec();
                features = lm.getFeatures();
            }
            if (spec != null) {
                bytes = spec.sequenceLength();
                vocab = features.getLanguageModel().getSpec().vocabSize();
                for (int b = 0; b < batch; b++) {
                    split[b] = 1 + b * (spec.maxPromptTokens() - 1) / (batch - 1);
                    end[b] = split[b] + Math.max(1, spec.maxResponseTokens() - 3 * b);
                }
            }
            long[] ids = new long[batch * bytes];
            float[] prompt = new float[batch * bytes];
            float[] response = new float[batch * bytes];
            Random rng = new Random(17);
            for (int b = 0; b < batch; b++) {
                for (int t = 0; t < bytes; t++) {
                    ids[b * bytes + t] = 32 + rng.nextInt(Math.min(90, vocab - 32));
                    prompt[b * bytes + t] = t < split[b] ? 1 : 0;
                    response[b * bytes + t] = t >= split[b] && t < end[b] ? 1 : 0;
                }
            }
            Shape shape = new Shape(batch, bytes);
            List<float[]> expected = new ArrayList<>();
            try (NDManager m = model.getNDManager().newSubManager()) {
                NDList out =
                        model.getBlock()
                                .forward(
                                        new ParameterStore(m, false),
                                        new NDList(
                                                m.create(ids, shape),
                                                m.create(prompt, shape),
                                                m.create(response, shape)),
                                        false);
                for (NDArray a : out) {
                    expected.add(a.toFloatArray());
                }
            }
            Path file = dir.resolve(id + ".onnx");
            RewardExporter.export(model.getBlock()).write(file);
            try (OrtRunner ort = new OrtRunner(file)) {
                List<float[]> actual =
                        ort.run(
                                m ->
                                        new NDList(
                                                m.create(ids, shape),
                                                m.create(prompt, shape),
                                                m.create(response, shape)));
                assertEquals(expected.size(), actual.size());
                for (int i = 0; i < expected.size(); i++) {
                    double diff = OrtRunner.maxAbsDiff(expected.get(i), actual.get(i));
                    assertTrue(diff < 1e-4, id + " output " + i + ": " + diff);
                }
            }
        }
    }

    static Stream<Arguments> lmRewardCases() {
        MoeLayerSpec topK =
                MoeLayerSpec.of(RouterPresets.qwenMoe(4, 2, true), new SwiGluExpertSpec(4, H, 12));
        // Capacity per sequence: the routing depends on the length the language model runs on.
        MoeLayerSpec capacity =
                MoeLayerSpec.of(CapacityTopKSpec.of(4, 2, 0.5f), new SwiGluExpertSpec(4, H, 12));
        return Stream.of(DispatchMode.values())
                .flatMap(
                        mode ->
                                Stream.of(
                                        Arguments.of("top-k", Arrays.asList(topK, null), mode),
                                        Arguments.of(
                                                "capacity",
                                                Arrays.asList(
                                                        capacity,
                                                        topK.withSharedExpert(
                                                                new SharedExpertSpec(8, true))),
                                                mode)));
    }

    @ParameterizedTest
    @MethodSource("lmRewardCases")
    void lmRewardModelMatchesPyTorch(String name, List<MoeLayerSpec> ffn, DispatchMode mode)
            throws Exception {
        AttentionSpec attention =
                new AttentionSpec(
                        H, 4, 2, 4, true, AttentionSpec.QkNorm.NONE, 10000, 1.0, 0, 1e-5f, 0, 0);
        DecoderSpec base =
                new DecoderSpec("onnx-reward-test", V, H, attention, ffn, 24, 1e-5f, 1e-5f, true);
        LmRewardSpec spec =
                new LmRewardSpec(
                        LmRewardSpec.DMOERM_LM,
                        "onnx-reward-test",
                        List.of("helpfulness", "fluency"),
                        List.of("chat", "facts"),
                        3,
                        4,
                        6,
                        5,
                        2,
                        2,
                        START);
        int length = spec.sequenceLength();
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            LmDoubleLayerRewardModel model =
                    LayerFixture.randomize(
                            new LmDoubleLayerRewardModel(spec, base),
                            manager,
                            11,
                            0.4f,
                            new Shape(1, length));
            float[] shift = new float[LanguageModelFeatures.COUNT];
            float[] scale = new float[LanguageModelFeatures.COUNT];
            for (int i = 0; i < shift.length; i++) {
                shift[i] = -2f + 0.3f * i;
                scale[i] = 0.5f + 0.2f * i;
            }
            model.setStandardization(shift, scale);
            Path file = dir.resolve("lm-reward-" + name + "-" + mode + ".onnx");
            OnnxModel onnx = RewardExporter.export(model, mode);
            onnx.write(file);
            // The language model runs twice but its weights are stored once: the reward graph's
            // initializers are the language model's plus the heads' (and a few small constants).
            long heads = 0;
            for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : model.getDirectParameters()) {
                heads += 4 * p.getValue().getArray().size();
            }
            long lmBytes =
                    initializerBytes(
                            LanguageExporter.export(model.getFeatures().getLanguageModel(), mode));
            long rewardBytes = initializerBytes(onnx);
            assertTrue(
                    rewardBytes < lmBytes + heads + 1024,
                    "the language model's weights are stored once: "
                            + rewardBytes
                            + " bytes of initializers for "
                            + lmBytes
                            + " + "
                            + heads);
            // {prompt, response} lengths: all lengths up to the full input, a batch whose longest
            // input is shorter than the input (the block trims it), clamped response positions.
            int[][][] batches = {
                {{1, 1}, {6, 5}, {3, 2}, {2, 4}, {4, 1}, {5, 3}},
                {{6, 1}, {1, 5}, {2, 2}},
                {{3, 1}},
            };
            java.util.Set<Integer> used = new java.util.HashSet<>();
            try (OrtRunner ort = new OrtRunner(file)) {
                Random rng = new Random(23);
                for (int[][] rows : batches) {
                    int batch = rows.length;
                    long[] ids = new long[batch * length];
                    float[] prompt = new float[batch * length];
                    float[] response = new float[batch * length];
                    Arrays.fill(ids, START);
                    for (int b = 0; b < batch; b++) {
                        for (int t = 0; t < rows[b][0] + rows[b][1]; t++) {
                            ids[b * length + t] = rng.nextInt(V);
                            (t < rows[b][0] ? prompt : response)[b * length + t] = 1;
                        }
                    }
                    Shape shape = new Shape(batch, length);
                    List<float[]> expected = new ArrayList<>();
                    try (NDManager m = manager.newSubManager()) {
                        NDList out =
                                model.forward(
                                        new ParameterStore(m, false),
                                        new NDList(
                                                m.create(ids, shape),
                                                m.create(prompt, shape),
                                                m.create(response, shape)),
                                        false);
                        for (NDArray a : out) {
                            expected.add(a.toFloatArray());
                        }
                    }
                    List<float[]> actual =
                            ort.run(
                                    m ->
                                            new NDList(
                                                    m.create(ids, shape),
                                                    m.create(prompt, shape),
                                                    m.create(response, shape)));
                    assertEquals(3, actual.size());
                    String where = name + " " + mode + " batch of " + batch;
                    for (int i = 0; i < expected.size(); i++) {
                        double diff = OrtRunner.maxAbsDiff(expected.get(i), actual.get(i));
                        assertTrue(diff < 1e-4, where + " output " + i + ": " + diff);
                    }
                    int categories = spec.categories().size();
                    for (int b = 0; b < batch; b++) {
                        int routed = argmax(expected.get(2), b, categories);
                        assertEquals(
                                routed,
                                argmax(actual.get(2), b, categories),
                                where + " row " + b + " routing");
                        used.add(routed);
                    }
                }
            }
            assertEquals(spec.categories().size(), used.size(), "every category is routed to");
        }
    }

    private static long initializerBytes(OnnxModel model) {
        long total = 0;
        for (OnnxTensor t : model.initializers()) {
            total += t.raw().length;
        }
        return total;
    }

    private static int argmax(float[] probabilities, int row, int categories) {
        int best = 0;
        for (int c = 1; c < categories; c++) {
            if (probabilities[row * categories + c] > probabilities[row * categories + best]) {
                best = c;
            }
        }
        return best;
    }
}
