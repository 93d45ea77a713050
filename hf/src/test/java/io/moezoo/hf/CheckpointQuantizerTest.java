package io.moezoo.hf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.moezoo.formats.BlockFormat;
import io.moezoo.formats.Checkpoint;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.formats.QuantizedSafetensors;
import io.moezoo.formats.SafetensorsFile;
import io.moezoo.formats.TensorDType;
import io.moezoo.formats.TensorInfo;
import io.moezoo.models.language.MoeCausalLm;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link CheckpointQuantizer} on the committed fixtures and on widened copies of them ({@link
 * ScaledFixture}, rows of 32 and 64 values): the result passes {@link HfCheckpointLoader#inspect},
 * quantised tensors hold exactly {@link BlockFormat}'s bytes of the source values, kept tensors are
 * byte-identical, and the reference path's logits stay close to the source's.
 */
class CheckpointQuantizerTest {

    private static final Path FIXTURES = Paths.get("src", "test", "resources", "fixtures");
    private static final long[] IDS = {1, 5, 9, 23, 42, 7, 63, 12};

    /**
     * Max |logit difference| allowed against the F32 source, relative to the largest |logit| (about
     * 3.4 to 4 here). Measured on these random-weight fixtures (seed 11): Q8_0 1.5% to 5.1% (the
     * 5.1% is mixtral_fused, where a near tie of the router flips an expert; with every expert
     * active it is 1.8%), Q4_0 28% to 47%. That is the formats' own error, not the code's (the
     * bytes and the dequantised values are checked exactly above): Q4_0's step is max/8 per block
     * of 32, an RMS error of about 9% of a gaussian weight's deviation in every product, and two
     * layers of random weights compound it.
     */
    private static double bound(BlockFormat format) {
        return format == BlockFormat.Q8_0 ? 0.08 : 0.6;
    }

    static Stream<Arguments> scaled() {
        List<Arguments> all = new ArrayList<>();
        for (String fixture : List.of("mixtral", "mixtral_fused", "olmoe", "qwen2_moe")) {
            for (BlockFormat format : BlockFormat.values()) {
                all.add(Arguments.of(fixture, format));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("scaled")
    void quantizesWidenedFixturesExactlyAndKeepsTheLogitsClose(
            String fixture, BlockFormat format, @TempDir Path tmp) throws Exception {
        Path source = ScaledFixture.write(FIXTURES, fixture, tmp.resolve("src"), 11);
        Path out = tmp.resolve("out");
        CheckpointQuantizer.Summary summary = CheckpointQuantizer.quantize(source, format, out);
        assertTrue(summary.quantized() > 0, summary.toString());
        assertEquals(1, summary.shards());
        HfCheckpoint inspected = HfCheckpointLoader.inspect(out);
        Checkpoint q = inspected.checkpoint();
        Checkpoint src = Checkpoint.open(source);
        assertEquals(src.keys(), q.keys());
        assertEquals(
                QuantizedSafetensors.quantizationName(format),
                SafetensorsFile.open(out.resolve(Checkpoint.SINGLE_FILE))
                        .metadata()
                        .get(QuantizedSafetensors.QUANTIZATION_KEY));
        int quantized = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            for (String key : src.keys()) {
                assertEquals(src.shape(key), q.shape(key), key);
                if (CheckpointQuantizer.quantizable(key, src.shape(key))) {
                    quantized++;
                    assertEquals(format, q.blockFormat(key), key);
                    assertEquals(TensorDType.U8, q.info(key).dtype());
                    float[] values;
                    try (NDManager scope = manager.newSubManager()) {
                        values = src.load(scope, key).toFloatArray();
                    }
                    ByteBuffer expected =
                            ByteBuffer.allocate(values.length / 32 * format.blockBytes());
                    format.quantize(values, 0, values.length, expected, 0);
                    assertArrayEquals(expected.array(), bytes(q, key), key);
                    float[] dequantized = new float[values.length];
                    format.dequantize(
                            expected.order(ByteOrder.LITTLE_ENDIAN),
                            0,
                            dequantized,
                            0,
                            values.length);
                    try (NDManager scope = manager.newSubManager()) {
                        NDArray loaded = q.load(scope, key);
                        assertEquals(src.shape(key), loaded.getShape());
                        assertArrayEquals(dequantized, loaded.toFloatArray(), key);
                    }
                } else {
                    assertNull(q.blockFormat(key), key);
                    assertEquals(src.info(key).dtype(), q.info(key).dtype(), key);
                    assertArrayEquals(bytes(src, key), bytes(q, key), key);
                }
            }
        }
        assertEquals(quantized, summary.quantized());
        boolean routerKept = false;
        for (String key : q.keys()) {
            routerKept |= key.contains("gate") && q.blockFormat(key) == null;
        }
        assertTrue(routerKept, "the router stays F32");
        double[] diff = logitDifference(source, out);
        double relative = diff[0] / diff[1];
        assertTrue(
                relative < bound(format),
                fixture + " " + format + ": max |diff| " + diff[0] + " of max |logit| " + diff[1]);
        assertTrue(diff[0] > 0, "the quantised model differs somewhat");
    }

    @Test
    void shardsLargeOutputsWithAnIndexAndTheSameBytes(@TempDir Path tmp) throws Exception {
        Path source = ScaledFixture.write(FIXTURES, "mixtral", tmp.resolve("src"), 3);
        Path single = tmp.resolve("single");
        Path sharded = tmp.resolve("sharded");
        CheckpointQuantizer.quantize(source, BlockFormat.Q8_0, single);
        CheckpointQuantizer.Summary summary =
                CheckpointQuantizer.quantize(source, BlockFormat.Q8_0, sharded, 20_000);
        assertTrue(summary.shards() > 2, summary.toString());
        assertTrue(Files.exists(sharded.resolve(Checkpoint.INDEX_FILE)));
        assertFalse(Files.exists(sharded.resolve(Checkpoint.SINGLE_FILE)));
        Checkpoint a = HfCheckpointLoader.inspect(single).checkpoint();
        Checkpoint b = HfCheckpointLoader.inspect(sharded).checkpoint();
        assertEquals(a.keys(), b.keys());
        for (String key : a.keys()) {
            assertEquals(a.blockFormat(key), b.blockFormat(key), key);
            assertArrayEquals(bytes(a, key), bytes(b, key), key);
        }
        // Reading one row (or a few) at a time gives the same bytes.
        for (int step : new int[] {1, 100, 1000}) {
            Path stepped = tmp.resolve("step" + step);
            CheckpointQuantizer.quantize(source, BlockFormat.Q8_0, stepped, Long.MAX_VALUE, step);
            Checkpoint s = HfCheckpointLoader.inspect(stepped).checkpoint();
            for (String key : a.keys()) {
                assertArrayEquals(bytes(a, key), bytes(s, key), key);
            }
        }
        // A sharded source quantises too, and requantising to the same format keeps the bytes.
        Path again = tmp.resolve("again");
        CheckpointQuantizer.quantize(sharded, BlockFormat.Q8_0, again);
        Checkpoint c = HfCheckpointLoader.inspect(again).checkpoint();
        for (String key : a.keys()) {
            assertArrayEquals(bytes(a, key), bytes(c, key), key);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mixtral", "mixtral_sharded", "mixtral_bf16", "qwen2_moe", "olmoe"})
    void keepsEveryTensorOfTheCommittedFixturesWhoseRowsAreTooShort(
            String fixture, @TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        CheckpointQuantizer.Summary summary =
                CheckpointQuantizer.quantize(FIXTURES.resolve(fixture), BlockFormat.Q4_0, out);
        assertEquals(0, summary.quantized());
        Checkpoint src = Checkpoint.open(FIXTURES.resolve(fixture));
        Checkpoint q = HfCheckpointLoader.inspect(out).checkpoint();
        for (String key : src.keys()) {
            assertArrayEquals(bytes(src, key), bytes(q, key), key);
        }
        assertEquals(0.0, maxLogitDifference(FIXTURES.resolve(fixture), out));
        assertEquals(
                Files.readString(FIXTURES.resolve(fixture).resolve("config.json")),
                Files.readString(out.resolve("config.json")));
    }

    @Test
    void fp8WeightsBecomeF32AndTheirScalesAndConfigEntryGo(@TempDir Path tmp) throws Exception {
        Path source = FIXTURES.resolve("deepseek_v3_fp8");
        Path out = tmp.resolve("out");
        CheckpointQuantizer.Summary summary =
                CheckpointQuantizer.quantize(source, BlockFormat.Q8_0, out);
        assertTrue(summary.dropped() > 0);
        assertFalse(Files.readString(out.resolve("config.json")).contains("quantization_config"));
        Checkpoint src = HfCheckpointLoader.inspect(source).checkpoint();
        Checkpoint q = HfCheckpointLoader.inspect(out).checkpoint();
        assertTrue(q.keys().stream().noneMatch(k -> k.endsWith("_scale_inv")));
        int widened = 0;
        try (NDManager manager = NDManager.newBaseManager()) {
            for (String key : q.keys()) {
                if (src.info(key).dtype() == TensorDType.F8_E4M3) {
                    widened++;
                    assertEquals(TensorDType.F32, q.info(key).dtype());
                    assertArrayEquals(
                            src.load(manager, key).toFloatArray(),
                            q.load(manager, key).toFloatArray(),
                            key);
                }
            }
        }
        assertTrue(widened > 0);
        assertEquals(0.0, maxLogitDifference(source, out), 1e-6);
        // FP8 rows read a few at a time (across the 8x8 scale blocks) give the same file.
        Path stepped = tmp.resolve("stepped");
        CheckpointQuantizer.quantize(source, BlockFormat.Q8_0, stepped, Long.MAX_VALUE, 48);
        Checkpoint s = HfCheckpointLoader.inspect(stepped).checkpoint();
        for (String key : q.keys()) {
            assertArrayEquals(bytes(q, key), bytes(s, key), key);
        }
    }

    @Test
    void copiesTokenizerFilesAndRefusesANonEmptyTarget(@TempDir Path tmp) throws Exception {
        Path source = tmp.resolve("src");
        Files.createDirectories(source);
        for (String name : List.of("config.json", "model.safetensors")) {
            Files.copy(FIXTURES.resolve("mixtral").resolve(name), source.resolve(name));
        }
        Files.writeString(source.resolve("tokenizer.json"), "{\"model\": {}}");
        Files.writeString(source.resolve("generation_config.json"), "{}");
        Path out = tmp.resolve("out");
        Files.createDirectories(out); // an empty directory is fine
        CheckpointQuantizer.quantize(source, BlockFormat.Q8_0, out);
        assertEquals("{\"model\": {}}", Files.readString(out.resolve("tokenizer.json")));
        assertTrue(Files.exists(out.resolve("generation_config.json")));
        assertFalse(Files.exists(out.resolve("special_tokens_map.json")));
        IOException e =
                assertThrows(
                        IOException.class,
                        () -> CheckpointQuantizer.quantize(source, BlockFormat.Q8_0, out));
        assertTrue(e.getMessage().contains("not an empty directory"), e.getMessage());
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(
                    List.of("out", "src"),
                    left.map(p -> p.getFileName().toString()).sorted().toList());
        }
    }

    @Test
    void refusesAnInvalidSourceBeforeWritingAnything(@TempDir Path tmp) throws Exception {
        Path source = tmp.resolve("src");
        Files.createDirectories(source);
        Files.copy(FIXTURES.resolve("mixtral/config.json"), source.resolve("config.json"));
        Path out = tmp.resolve("out");
        assertThrows(
                MalformedCheckpointException.class,
                () -> CheckpointQuantizer.quantize(source, BlockFormat.Q4_0, out));
        assertFalse(Files.exists(out));
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(1, left.count());
        }
    }

    @ParameterizedTest
    @EnumSource(BlockFormat.class)
    void gptOssKeepsItsMxfp4ExpertsAndRouterAndQuantizesTheRest(
            BlockFormat format, @TempDir Path tmp) throws Exception {
        Path source = FIXTURES.resolve("gpt_oss");
        Path out = tmp.resolve("out");
        CheckpointQuantizer.Summary summary = CheckpointQuantizer.quantize(source, format, out);
        Checkpoint src = Checkpoint.open(source);
        Checkpoint q = HfCheckpointLoader.inspect(out).checkpoint();
        assertEquals(src.keys(), q.keys());
        String layer = "model.layers.1.";
        for (String kept :
                List.of(
                        "mlp.experts.gate_up_proj_blocks",
                        "mlp.experts.gate_up_proj_scales",
                        "mlp.experts.down_proj_blocks",
                        "mlp.router.weight",
                        "mlp.router.bias",
                        "self_attn.sinks")) {
            assertNull(q.blockFormat(layer + kept), kept);
            assertArrayEquals(bytes(src, layer + kept), bytes(q, layer + kept), kept);
        }
        assertEquals(format, q.blockFormat("lm_head.weight"));
        String qProj = layer + "self_attn.q_proj.weight";
        assertEquals(format, q.blockFormat(qProj));
        float[] values;
        try (NDManager manager = NDManager.newBaseManager()) {
            values = src.load(manager, qProj).toFloatArray();
        }
        ByteBuffer expected = ByteBuffer.allocate(values.length / 32 * format.blockBytes());
        format.quantize(values, 0, values.length, expected, 0);
        assertArrayEquals(expected.array(), bytes(q, qProj));
        // q, k, v, o of 3 layers, the embedding and the LM head.
        assertEquals(14, summary.quantized());
        if (format == BlockFormat.Q8_0) {
            // Q4_0 moves this fixture's near-tie routes and clamps too much for a logit bound.
            double[] diff = logitDifference(source, out);
            assertTrue(diff[0] > 0 && diff[0] / diff[1] < bound(format), format + ": " + diff[0]);
        }
    }

    @Test
    void gptOssExpertsStoredAsXwAreRefused(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        MalformedCheckpointException e =
                assertThrows(
                        MalformedCheckpointException.class,
                        () ->
                                CheckpointQuantizer.quantize(
                                        FIXTURES.resolve("gpt_oss_bf16"), BlockFormat.Q8_0, out));
        assertTrue(e.getMessage().contains("MXFP4 checkpoint"), e.getMessage());
        assertFalse(Files.exists(out));
    }

    @Test
    void quantizesWhatLlamaCppQuantizes() {
        Shape w = new Shape(64, 64);
        assertTrue(CheckpointQuantizer.quantizable("model.layers.0.self_attn.q_proj.weight", w));
        assertTrue(CheckpointQuantizer.quantizable("model.embed_tokens.weight", w));
        assertTrue(
                CheckpointQuantizer.quantizable(
                        "model.layers.0.mlp.experts.gate_up_proj", new Shape(4, 64, 64)));
        assertTrue(
                CheckpointQuantizer.quantizable(
                        "model.layers.0.mlp.experts.down_proj", new Shape(4, 64, 32)));
        assertFalse(CheckpointQuantizer.quantizable("model.layers.0.mlp.gate.weight", w));
        assertFalse(
                CheckpointQuantizer.quantizable("model.layers.0.block_sparse_moe.gate.weight", w));
        assertFalse(CheckpointQuantizer.quantizable("model.layers.0.mlp.router.layer.weight", w));
        assertFalse(CheckpointQuantizer.quantizable("model.layers.0.mlp.router.weight", w));
        assertFalse(
                CheckpointQuantizer.quantizable(
                        "model.layers.0.mlp.shared_expert_gate.weight", new Shape(1, 64)));
        assertFalse(CheckpointQuantizer.quantizable("model.norm.weight", new Shape(64)));
        assertFalse(
                CheckpointQuantizer.quantizable(
                        "model.layers.0.self_attn.kv_a_layernorm.weight", w));
        assertFalse(CheckpointQuantizer.quantizable("model.layers.0.self_attn.q_proj.bias", w));
        assertFalse(
                CheckpointQuantizer.quantizable(
                        "model.layers.0.self_attn.q_proj.weight", new Shape(64, 48)));
        assertFalse(
                CheckpointQuantizer.quantizable(
                        "model.layers.0.self_attn.q_proj.weight", new Shape(64, 0)));
    }

    private static byte[] bytes(Checkpoint checkpoint, String key) throws Exception {
        TensorInfo info = checkpoint.info(key);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        checkpoint.copyBytes(info, Channels.newChannel(out));
        return out.toByteArray();
    }

    static double maxLogitDifference(Path a, Path b) throws Exception {
        return logitDifference(a, b)[0];
    }

    /** Returns {max |difference|, max |logit of a|}. */
    static double[] logitDifference(Path a, Path b) throws Exception {
        float[] x = logits(a);
        float[] y = logits(b);
        assertEquals(x.length, y.length);
        double max = 0;
        double scale = 0;
        for (int i = 0; i < x.length; i++) {
            max = Math.max(max, Math.abs(x[i] - y[i]));
            scale = Math.max(scale, Math.abs(x[i]));
        }
        return new double[] {max, scale};
    }

    private static float[] logits(Path dir) throws Exception {
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeCausalLm model = HfCheckpointLoader.load(dir, manager);
            ParameterStore ps = new ParameterStore(manager, false);
            return model.logits(
                            ps, manager.create(IDS, new Shape(1, IDS.length)), null, false, null)
                    .toFloatArray();
        }
    }
}
