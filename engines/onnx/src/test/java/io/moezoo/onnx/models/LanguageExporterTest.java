package io.moezoo.onnx.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import io.moezoo.blocks.attention.AttentionSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.RouterPresets;
import io.moezoo.blocks.spec.SharedExpertSpec;
import io.moezoo.blocks.spec.SwiGluExpertSpec;
import io.moezoo.models.language.DecoderSpec;
import io.moezoo.models.language.MoeCausalLm;
import io.moezoo.models.language.Multipliers;
import io.moezoo.onnx.LayerFixture;
import io.moezoo.onnx.OrtRunner;
import io.moezoo.onnx.moe.DispatchMode;
import io.moezoo.translators.text.GeneratedText;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LanguageExporterTest {

    private static final int V = 300;
    private static final int H = 32;

    @TempDir Path dir;

    static DecoderSpec spec() {
        AttentionSpec attention =
                new AttentionSpec(
                        H, 4, 2, 8, true, AttentionSpec.QkNorm.NONE, 10000, 1.0, 0, 1e-5f, 0, 0);
        MoeLayerSpec moe =
                MoeLayerSpec.of(RouterPresets.qwenMoe(8, 2, true), new SwiGluExpertSpec(8, H, 24));
        return new DecoderSpec(
                "onnx-test",
                V,
                H,
                attention,
                Arrays.asList(moe, null, moe.withSharedExpert(new SharedExpertSpec(16, true))),
                48,
                1e-5f,
                1e-5f,
                true);
    }

    @Test
    void prefillDecodeAndGreedyTokensMatchPyTorch() throws Exception {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            MoeCausalLm lm =
                    LayerFixture.randomize(
                            new MoeCausalLm(spec()), manager, 3, 0.3f, new Shape(1, 1));
            check(lm, manager, new long[] {5, 17, 42, 99, 3, 250, 7}, "random");
        }
    }

    @Test
    void slidingWindowSinksAndOutputBiasMatchPyTorch() throws Exception {
        // gpt-oss-style attention: a 3-position window, per-head sinks, an o_proj bias; distinct
        // norm ε.
        AttentionSpec attention =
                new AttentionSpec(
                                H,
                                4,
                                2,
                                8,
                                true,
                                AttentionSpec.QkNorm.NONE,
                                10000,
                                1.0,
                                3,
                                1e-5f,
                                0,
                                0)
                        .withGptOssExtras(true, true, null);
        DecoderSpec base = spec();
        // GraniteMoE-style multipliers too: embedding ×2, residual branches ×0.5, logits ÷4.
        DecoderSpec spec =
                new DecoderSpec(
                        "onnx-test-window",
                        V,
                        H,
                        attention,
                        base.ffn(),
                        48,
                        1e-5f,
                        1e-6f,
                        false,
                        64,
                        new Multipliers(2f, 0.5f, 4f),
                        null);
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            MoeCausalLm lm =
                    LayerFixture.randomize(
                            new MoeCausalLm(spec), manager, 5, 0.3f, new Shape(1, 1));
            check(lm, manager, new long[] {5, 17, 42, 99, 3, 250, 7}, "window");
        }
    }

    @Test
    void zooBrownMoeMatchesPyTorch() throws Exception {
        // Loaded by id: the language artifacts' versions change when they are retrained.
        Criteria<String, GeneratedText> criteria =
                Criteria.builder()
                        .setTypes(String.class, GeneratedText.class)
                        .optGroupId("io.moezoo")
                        .optArtifactId("brown-moe")
                        .optEngine("PyTorch")
                        .build();
        try (ZooModel<String, GeneratedText> model = criteria.loadModel()) {
            MoeCausalLm lm = (MoeCausalLm) model.getBlock();
            long[] prompt;
            try (ai.djl.huggingface.tokenizers.HuggingFaceTokenizer tokenizer =
                    ai.djl.huggingface.tokenizers.HuggingFaceTokenizer.builder()
                            .optTokenizerPath(model.getModelPath().resolve("tokenizer.json"))
                            .optAddSpecialTokens(false)
                            .optTruncation(false)
                            .build()) {
                prompt = tokenizer.encode("The jury said that the").getIds();
            }
            check(lm, model.getNDManager(), prompt, "brown-moe");
        }
    }

    private void check(MoeCausalLm lm, NDManager manager, long[] prompt, String name)
            throws Exception {
        DecoderSpec spec = lm.getSpec();
        int vocab = spec.vocabSize();
        int layers = spec.numLayers();
        AttentionSpec attention = (AttentionSpec) spec.attention();
        int kv = attention.numKvHeads();
        int d = attention.headDim();
        int steps = 8;
        // PyTorch: prefill, then greedy decode with the block's cache contract.
        List<float[]> ptLogits = new ArrayList<>();
        long[] ptTokens = new long[steps];
        try (NDManager scope = manager.newSubManager()) {
            ParameterStore ps = new ParameterStore(scope, false);
            NDList out =
                    lm.forward(
                            ps,
                            new NDList(scope.create(prompt, new Shape(1, prompt.length))),
                            false);
            for (int s = 0; s < steps; s++) {
                float[] logits = out.get(0).toFloatArray();
                ptLogits.add(logits);
                ptTokens[s] = argmaxLast(logits, vocab);
                NDList next = new NDList(scope.create(new long[] {ptTokens[s]}, new Shape(1, 1)));
                next.addAll(out.subNDList(1));
                out = lm.forward(ps, next, false);
            }
        }
        for (DispatchMode mode : DispatchMode.values()) {
            Path file = dir.resolve(name + "-" + mode + ".onnx");
            LanguageExporter.export(lm, mode).write(file);
            try (OrtRunner ort = new OrtRunner(file)) {
                long[] tokens = new long[steps];
                List<float[]> cache = new ArrayList<>();
                for (int l = 0; l < 2 * layers; l++) {
                    cache.add(new float[0]);
                }
                long past = 0;
                long[] input = prompt;
                for (int s = 0; s < steps; s++) {
                    long[] ids = input;
                    long p = past;
                    List<float[]> c = cache;
                    List<float[]> out =
                            ort.run(
                                    m -> {
                                        NDList in =
                                                new NDList(m.create(ids, new Shape(1, ids.length)));
                                        for (float[] kvs : c) {
                                            in.add(m.create(kvs, new Shape(1, kv, p, d)));
                                        }
                                        return in;
                                    });
                    double diff = OrtRunner.maxAbsDiff(ptLogits.get(s), out.get(0));
                    assertTrue(diff < 1e-4, name + " " + mode + " step " + s + ": " + diff);
                    tokens[s] = argmaxLast(out.get(0), vocab);
                    cache = out.subList(1, out.size());
                    past += ids.length;
                    input = new long[] {tokens[s]};
                }
                assertArrayEquals(ptTokens, tokens, name + " " + mode + " greedy tokens");
            }
        }
    }

    static long argmaxLast(float[] logits, int vocab) {
        int from = logits.length - vocab;
        int best = from;
        for (int i = from + 1; i < logits.length; i++) {
            if (logits[i] > logits[best]) {
                best = i;
            }
        }
        return best - from;
    }
}
