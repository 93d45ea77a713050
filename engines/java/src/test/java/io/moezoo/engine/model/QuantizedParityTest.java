package io.moezoo.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.moezoo.engine.Fixtures;
import io.moezoo.engine.tensor.SafetensorsSource;
import io.moezoo.engine.tensor.WeightFormat;
import io.moezoo.formats.BlockFormat;
import io.moezoo.hf.CheckpointQuantizer;
import io.moezoo.hf.HfCheckpointLoader;
import io.moezoo.hf.ScaledFixture;
import io.moezoo.models.language.MoeCausalLm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A quantized checkpoint on the engine computes exactly the dequantized product in float32: its
 * logits are within 1e-4 of the PyTorch reference path's, which widens the same Q8_0 / Q4_0 blocks
 * to float32 on load, for prefill and for cached decode; greedy continuations agree; and the engine
 * reads the expert weights in their block format, not widened.
 */
class QuantizedParityTest {

    private static final double TOLERANCE = 1e-4;

    private static Path quantized(String fixture, BlockFormat format) throws Exception {
        Path root = Paths.get("target", "quantized-parity");
        Path source = root.resolve(fixture + "-f32");
        Path out = root.resolve(fixture + "-" + format);
        for (Path dir : new Path[] {out, source}) {
            if (Files.exists(dir)) {
                try (var paths = Files.walk(dir)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
        Files.createDirectories(root);
        if (fixture.equals("gpt_oss")) {
            // Its sizes are multiples of 32 already; its experts stay MXFP4, the rest quantised.
            CheckpointQuantizer.quantize(Fixtures.DIR.resolve(fixture), format, out);
            return out;
        }
        ScaledFixture.write(Fixtures.DIR, fixture, source, 11);
        CheckpointQuantizer.quantize(source, format, out);
        return out;
    }

    private static float[] reference(Path dir, long[] ids, int prompt) throws Exception {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            MoeCausalLm model = HfCheckpointLoader.load(dir, manager);
            ParameterStore ps = new ParameterStore(manager, false);
            int vocab = model.getSpec().vocabSize();
            float[] out = new float[ids.length * vocab];
            try (io.moezoo.blocks.attention.KvCache cache =
                    new io.moezoo.blocks.attention.KvCache(manager, model.getSpec().numLayers())) {
                for (int from = 0; from < ids.length; ) {
                    int n = from == 0 ? prompt : 1;
                    long[] step = Arrays.copyOfRange(ids, from, from + n);
                    try (NDManager scope = manager.newSubManager()) {
                        float[] logits =
                                model.logits(
                                                ps,
                                                scope.create(step, new Shape(1, n)),
                                                cache,
                                                false,
                                                null)
                                        .toFloatArray();
                        System.arraycopy(logits, 0, out, from * vocab, logits.length);
                    }
                    from += n;
                }
            }
            return out;
        }
    }

    @ParameterizedTest
    @CsvSource({
        "mixtral, Q8_0",
        "mixtral, Q4_0",
        "mixtral_fused, Q8_0",
        "olmoe, Q8_0",
        "olmoe, Q4_0",
        "qwen2_moe, Q8_0",
        "qwen2_moe, Q4_0",
        "granitemoe, Q8_0",
        "granitemoe, Q4_0",
        "glm4_moe, Q8_0",
        "glm4_moe, Q4_0",
        "gpt_oss, Q8_0",
        "gpt_oss, Q4_0"
    })
    void theEngineComputesTheDequantizedModel(String fixture, BlockFormat format) throws Exception {
        Path dir = quantized(fixture, format);
        Random random = new Random(3);
        long[] ids = new long[10];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = random.nextInt(64);
        }
        int prompt = 4;
        float[] want = reference(dir, ids, prompt);
        try (SafetensorsSource source = SafetensorsSource.open(dir)) {
            CausalLm model = CausalLm.load(source);
            int vocab = model.spec().vocabSize();
            String expert =
                    source.contains("model.layers.0.mlp.experts.gate_up_proj")
                                    || source.contains(
                                            "model.layers.0.block_sparse_moe.experts.gate_up_proj")
                            ? null
                            : source.contains("model.layers.0.block_sparse_moe.experts.0.w1.weight")
                                    ? "model.layers.0.block_sparse_moe.experts.0.w1.weight"
                                    // glm4_moe: layer 0 is dense, the experts start at 1
                                    : source.contains("model.layers.0.mlp.down_proj.weight")
                                            ? "model.layers.1.mlp.experts.0.gate_proj.weight"
                                            : "model.layers.0.mlp.experts.0.gate_proj.weight";
            String fused = "model.layers.0.block_sparse_moe.input_linear.weight";
            if (source.contains(fused)) {
                expert = null;
                assertEquals(
                        WeightFormat.valueOf(format.name()),
                        source.matrix(fused, 4, 64, 64).format(),
                        "fused granite experts are read in their block format");
            }
            if (expert != null) {
                assertEquals(
                        WeightFormat.valueOf(format.name()),
                        source.matrix(expert, 32, 64).format(),
                        "experts are read in their block format");
            }
            float[] prefill = model.forward(ids, model.newCache(), false);
            KvCache cache = model.newCache();
            float[] stepped = new float[ids.length * vocab];
            float[] first = model.forward(Arrays.copyOf(ids, prompt), cache, false);
            System.arraycopy(first, 0, stepped, 0, first.length);
            for (int p = prompt; p < ids.length; p++) {
                float[] next = model.forward(new long[] {ids[p]}, cache, true);
                System.arraycopy(next, 0, stepped, p * vocab, vocab);
            }
            int[] greedyWant = new int[ids.length];
            int[] greedyGot = new int[ids.length];
            for (int p = 0; p < ids.length; p++) {
                double prefillError = 0;
                double stepError = 0;
                for (int v = 0; v < vocab; v++) {
                    prefillError =
                            Math.max(
                                    prefillError,
                                    Math.abs(want[p * vocab + v] - prefill[p * vocab + v]));
                    stepError =
                            Math.max(
                                    stepError,
                                    Math.abs(want[p * vocab + v] - stepped[p * vocab + v]));
                    if (want[p * vocab + v] > want[p * vocab + greedyWant[p]]) {
                        greedyWant[p] = v;
                    }
                    if (stepped[p * vocab + v] > stepped[p * vocab + greedyGot[p]]) {
                        greedyGot[p] = v;
                    }
                }
                assertTrue(
                        prefillError <= TOLERANCE,
                        fixture + " " + format + " prefill " + p + ": " + prefillError);
                assertTrue(
                        stepError <= TOLERANCE,
                        fixture + " " + format + " cached " + p + ": " + stepError);
            }
            assertArrayEquals(greedyWant, greedyGot);
        }
    }
}
