package io.moezoo.engine.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moezoo.engine.tensor.SafetensorsSource;
import io.moezoo.engine.tensor.WeightFormat;
import io.moezoo.engine.tensor.WeightMatrix;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.hf.HfCheckpoint;
import io.moezoo.hf.HfCheckpointLoader;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * gpt-oss to GGUF and back: llama.cpp's {@code gpt-oss} metadata and tensor names, MXFP4 experts
 * repacked into ggml's blocks (compared with the checkpoint's experts as the engine reads them from
 * safetensors, de-interleaved here), the bf16 fixture's x·W experts transposed and encoded in every
 * type, and what llama.cpp cannot represent refused.
 */
class GptOssGgufTest {

    private static final int E = 4;
    private static final int H = 32;
    private static final int I = 32;

    @TempDir Path dir;

    @Test
    void mxfp4FixtureMetadataAndTensorTypes() throws Exception {
        Path out = dir.resolve("oss.gguf");
        GgufExport.Summary summary =
                GgufExport.export(GgufTestFiles.fixtures().resolve("gpt_oss"), out, GgufType.F32);
        assertEquals("gpt-oss", summary.architecture());
        GgufFile file = GgufFile.open(out);
        Map<String, GgufValue> m = file.metadata();
        assertEquals(GgufValue.string("gpt-oss"), m.get("general.architecture"));
        assertEquals(GgufValue.u32(8192), m.get("gpt-oss.context_length"));
        assertEquals(GgufValue.u32(32), m.get("gpt-oss.embedding_length"));
        assertEquals(GgufValue.u32(3), m.get("gpt-oss.block_count"));
        assertEquals(GgufValue.u32(4), m.get("gpt-oss.attention.head_count"));
        assertEquals(GgufValue.u32(2), m.get("gpt-oss.attention.head_count_kv"));
        assertEquals(GgufValue.u32(16), m.get("gpt-oss.attention.key_length"));
        assertEquals(GgufValue.u32(16), m.get("gpt-oss.attention.value_length"));
        assertEquals(GgufValue.u32(4), m.get("gpt-oss.expert_count"));
        assertEquals(GgufValue.u32(2), m.get("gpt-oss.expert_used_count"));
        assertEquals(GgufValue.u32(32), m.get("gpt-oss.expert_feed_forward_length"));
        assertEquals(GgufValue.u32(3), m.get("gpt-oss.expert_gating_func"));
        assertEquals(GgufValue.u32(4), m.get("gpt-oss.attention.sliding_window"));
        assertEquals(GgufValue.f32(1e-5f), m.get("gpt-oss.attention.layer_norm_rms_epsilon"));
        assertEquals(GgufValue.f32(150000f), m.get("gpt-oss.rope.freq_base"));
        assertEquals(GgufValue.string("yarn"), m.get("gpt-oss.rope.scaling.type"));
        assertEquals(GgufValue.f32(32f), m.get("gpt-oss.rope.scaling.factor"));
        assertEquals(GgufValue.u32(256), m.get("gpt-oss.rope.scaling.original_context_length"));
        assertEquals(GgufValue.f32(32f), m.get("gpt-oss.rope.scaling.yarn_beta_fast"));
        assertEquals(GgufValue.f32(1f), m.get("gpt-oss.rope.scaling.yarn_beta_slow"));
        assertFalse(m.containsKey(GptOssArchitecture.TRUNCATE), "truncate false is the default");
        Map<String, GgufTensorInfo> t = file.tensors();
        // ne is the row-major shape reversed: ffn_gate_exps {H, I, E}, ffn_down_exps {I, H, E}.
        assertArrayEquals(new long[] {H, I, E}, t.get("blk.1.ffn_gate_exps.weight").ne());
        assertArrayEquals(new long[] {H, I, E}, t.get("blk.1.ffn_up_exps.weight").ne());
        assertArrayEquals(new long[] {I, H, E}, t.get("blk.1.ffn_down_exps.weight").ne());
        assertArrayEquals(new long[] {I, E}, t.get("blk.1.ffn_gate_exps.bias").ne());
        assertArrayEquals(new long[] {H, E}, t.get("blk.1.ffn_down_exps.bias").ne());
        assertArrayEquals(new long[] {4}, t.get("blk.1.attn_sinks.weight").ne());
        assertArrayEquals(new long[] {E}, t.get("blk.1.ffn_gate_inp.bias").ne());
        for (String name : new String[] {"gate", "up", "down"}) {
            GgufTensorInfo x = t.get("blk.2.ffn_" + name + "_exps.weight");
            assertEquals(GgufType.MXFP4, x.type(), name);
            assertEquals(E * 32L * 17, x.bytes(), "17 bytes per 32 values");
        }
        for (String name :
                new String[] {
                    "attn_q.weight",
                    "attn_output.bias",
                    "attn_sinks.weight",
                    "ffn_gate_inp.weight",
                    "ffn_gate_inp.bias",
                    "post_attention_norm.weight",
                    "ffn_up_exps.bias"
                }) {
            assertEquals(GgufType.F32, t.get("blk.0." + name).type(), name);
        }
        assertFalse(t.containsKey("blk.0.ffn_norm.weight"));
        assertTrue(t.containsKey("output.weight"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"F32", "Q8_0", "Q4_0"})
    void mxfp4ExpertsRoundTripBitForBit(String type) throws Exception {
        Path checkpoint = GgufTestFiles.fixtures().resolve("gpt_oss");
        Path out = check(checkpoint, GgufType.valueOf(type));
        try (GgufSource source = GgufSource.open(out);
                SafetensorsSource hf = SafetensorsSource.open(checkpoint)) {
            for (int layer = 0; layer < 3; layer++) {
                String x = "model.layers." + layer + ".mlp.experts.";
                float[] gateUp = folded(hf.matrix(x + "gate_up_proj", E, 2 * I, H).toFloats());
                WeightMatrix gate = source.matrix(x + "gate_proj", E, I, H);
                WeightMatrix up = source.matrix(x + "up_proj", E, I, H);
                assertEquals(WeightFormat.MXFP4_GGUF, gate.format());
                // Fused row 2j is gate unit j, row 2j + 1 up unit j (per expert).
                assertArrayEquals(rows(gateUp, H, 0), folded(gate.toFloats()), x + "gate");
                assertArrayEquals(rows(gateUp, H, 1), folded(up.toFloats()), x + "up");
                float[] down = folded(hf.matrix(x + "down_proj", E, H, I).toFloats());
                assertArrayEquals(
                        down,
                        folded(source.matrix(x + "down_proj", E, H, I).toFloats()),
                        x + "down");
                assertArrayEquals(
                        down, folded(source.floats(x + "down_proj", E, H, I)), x + "down floats");
            }
        }
    }

    /**
     * The values with −0 folded into +0: the vector MXFP4 codecs decode the code of −0 as +0, the
     * scalar ones as −0; every other bit must agree.
     */
    private static float[] folded(float[] values) {
        float[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += 0f;
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"F32", "F16", "BF16", "Q8_0", "Q4_0"})
    void bf16FixtureExpertsAreTransposedAndEncoded(String name) throws Exception {
        GgufType type = GgufType.valueOf(name);
        Path checkpoint = GgufTestFiles.fixtures().resolve("gpt_oss_bf16");
        Path out = check(checkpoint, type);
        GgufFile file = GgufFile.open(out);
        assertEquals(type, file.tensors().get("blk.0.ffn_gate_exps.weight").type());
        assertEquals(type, file.tensors().get("blk.0.attn_q.weight").type());
        assertEquals(GgufType.F32, file.tensors().get("blk.0.ffn_gate_exps.bias").type());
        try (GgufSource source = GgufSource.open(out);
                SafetensorsSource hf = SafetensorsSource.open(checkpoint)) {
            for (int layer = 0; layer < 3; layer++) {
                String x = "model.layers." + layer + ".mlp.experts.";
                // x·W: gate_up_proj [E, H, 2I], down_proj [E, I, H]; transposed to out × in.
                float[] gateUp = transpose(hf.matrix(x + "gate_up_proj", E, H, 2 * I), H, 2 * I);
                float[] down = transpose(hf.matrix(x + "down_proj", E, I, H), I, H);
                assertArrayEquals(
                        GgufRoundTripTest.expected(rows(gateUp, H, 0), type),
                        source.floats(x + "gate_proj", E, I, H),
                        x + "gate");
                assertArrayEquals(
                        GgufRoundTripTest.expected(rows(gateUp, H, 1), type),
                        source.matrix(x + "up_proj", E, I, H).toFloats(),
                        x + "up");
                assertArrayEquals(
                        GgufRoundTripTest.expected(down, type),
                        source.matrix(x + "down_proj", E, H, I).toFloats(),
                        x + "down");
            }
        }
    }

    /** Rows 2j + parity of [E·2I, cols] values: one of the interleaved halves, [E·I, cols]. */
    private static float[] rows(float[] fused, int cols, int parity) {
        int half = fused.length / cols / 2;
        float[] out = new float[half * cols];
        for (int r = 0; r < half; r++) {
            System.arraycopy(fused, (2 * r + parity) * cols, out, r * cols, cols);
        }
        return out;
    }

    /** [E, a, b] stored as rows of b → [E, b, a]. */
    private static float[] transpose(WeightMatrix m, int a, int b) {
        float[] in = m.toFloats();
        float[] out = new float[in.length];
        int experts = in.length / (a * b);
        for (int e = 0; e < experts; e++) {
            for (int i = 0; i < a; i++) {
                for (int j = 0; j < b; j++) {
                    out[e * a * b + j * a + i] = in[e * a * b + i * b + j];
                }
            }
        }
        return out;
    }

    /**
     * Exports, imports, compares the spec and every key that is not a split expert key with the
     * checkpoint's stored values (as GgufExportImportTest does), and returns the file.
     */
    private Path check(Path checkpoint, GgufType type) throws Exception {
        HfCheckpoint hf = HfCheckpointLoader.inspect(checkpoint);
        Path out = dir.resolve(checkpoint.getFileName() + "." + type + ".gguf");
        GgufExport.export(checkpoint, out, type);
        try (GgufSource source = GgufSource.open(out)) {
            assertEquals("gpt-oss", source.architecture());
            assertEquals(hf.spec().toJson(), source.spec().toJson());
            assertEquals(hf.spec(), source.spec());
            GgufArchitecture arch = GgufArchitectures.byName("gpt-oss", "test");
            CheckpointRows rows = new CheckpointRows(hf.checkpoint());
            Set<String> seen = new HashSet<>();
            for (GgufTensorPlan.Entry e : GgufTensorPlan.of(hf.spec(), arch).entries()) {
                String key = e.keys().get(0);
                assertTrue(source.contains(key), key);
                seen.add(key);
                if (GptOssExpertRows.handles(key)) {
                    continue;
                }
                long cols = e.keyShape()[e.keyShape().length - 1];
                GgufType stored = e.keepF32() || cols % type.blockSize() != 0 ? GgufType.F32 : type;
                CheckpointRows.Slice s = rows.resolve(key, e.keyShape());
                float[] expected = new float[s.rows() * s.cols()];
                float[] row = new float[s.cols()];
                for (int r = 0; r < s.rows(); r++) {
                    CheckpointRows.row(s, r, row);
                    System.arraycopy(
                            GgufRoundTripTest.expected(row, stored),
                            0,
                            expected,
                            r * s.cols(),
                            s.cols());
                }
                assertArrayEquals(expected, source.floats(key, e.keyShape()), key);
            }
            assertEquals(seen, source.keys());
            // The biases of the split: even (gate) and odd (up) entries of gate_up_proj_bias.
            CheckpointRows.Slice both =
                    rows.resolve(
                            "model.layers.1.mlp.experts.gate_up_proj_bias", new long[] {E, 2 * I});
            float[] all = new float[2 * I];
            CheckpointRows.row(both, 3, all);
            float[] up = source.floats("model.layers.1.mlp.experts.up_proj_bias", E, I);
            float[] gate = source.floats("model.layers.1.mlp.experts.gate_proj_bias", E, I);
            for (int j = 0; j < I; j++) {
                assertEquals(all[2 * j], gate[3 * I + j]);
                assertEquals(all[2 * j + 1], up[3 * I + j]);
            }
        }
        return out;
    }

    @Test
    void whatLlamaCppCannotRepresentIsRefused() throws Exception {
        Path fixture = GgufTestFiles.fixtures().resolve("gpt_oss_bf16");
        Path pattern =
                EngineReference.variant(
                        fixture,
                        dir.resolve("pattern"),
                        false,
                        c -> {
                            com.google.gson.JsonArray types = new com.google.gson.JsonArray();
                            types.add("full_attention");
                            types.add("sliding_attention");
                            types.add("full_attention");
                            c.add("layer_types", types);
                        });
        MalformedCheckpointException e =
                assertThrows(
                        MalformedCheckpointException.class,
                        () -> GgufExport.export(pattern, dir.resolve("p.gguf"), GgufType.F32));
        assertTrue(e.getMessage().contains("sliding window"), e.getMessage());
        Path limit =
                EngineReference.variant(
                        fixture,
                        dir.resolve("limit"),
                        false,
                        c -> c.addProperty("swiglu_limit", 6.0));
        e =
                assertThrows(
                        MalformedCheckpointException.class,
                        () -> GgufExport.export(limit, dir.resolve("l.gguf"), GgufType.F32));
        assertTrue(e.getMessage().contains("swiglu_limit"), e.getMessage());
        IllegalArgumentException type =
                assertThrows(IllegalArgumentException.class, () -> GgufType.parse("mxfp4"));
        assertTrue(type.getMessage().contains("not an export type"), type.getMessage());
    }
}
