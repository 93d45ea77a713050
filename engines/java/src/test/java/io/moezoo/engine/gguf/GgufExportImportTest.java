package io.moezoo.engine.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moezoo.engine.tensor.WeightMatrix;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.hf.HfCheckpoint;
import io.moezoo.hf.HfCheckpointLoader;
import io.moezoo.models.language.DecoderSpec;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Export of the committed fixtures (and of a synthetic checkpoint wide enough for Q8_0/Q4_0), then
 * import: the spec equals the checkpoint's, and every tensor the engine asks for decodes to the
 * checkpoint's values (exactly for F32; to their F16/BF16 rounding or BlockFormat's dequantisation
 * otherwise; norms, routers, biases stay F32).
 */
class GgufExportImportTest {

    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(
            strings = {
                "mixtral",
                "mixtral_sharded",
                "mixtral_fused",
                "qwen2_moe",
                "olmoe",
                "deepseek_v2",
                "deepseek_v3",
                "granitemoe",
                "glm4_moe"
            })
    void fixturesRoundTripExactlyInF32(String name) throws Exception {
        check(GgufTestFiles.fixtures().resolve(name), GgufType.F32);
    }

    @ParameterizedTest
    @ValueSource(strings = {"F16", "BF16", "Q8_0"})
    void graniteMoeFixtureInOtherTypes(String type) throws Exception {
        // Rows of 16 and 12 values: Q8_0 keeps every weight F32 (not a whole number of blocks).
        check(GgufTestFiles.fixtures().resolve("granitemoe"), GgufType.valueOf(type));
    }

    @Test
    void graniteMoeScalesAndSplitExperts() throws Exception {
        Path checkpoint = GgufTestFiles.fixtures().resolve("granitemoe");
        Path out = dir.resolve("granite.gguf");
        GgufExport.Summary summary = GgufExport.export(checkpoint, out, GgufType.F32);
        assertEquals("granitemoe", summary.architecture());
        GgufFile file = GgufFile.open(out);
        var m = file.metadata();
        assertEquals("granitemoe", m.get("general.architecture").value());
        // The fixture's attention_multiplier, embedding_multiplier, residual_multiplier and
        // logits_scaling, as float32.
        assertEquals(GgufValue.f32(0.35f), m.get("granitemoe.attention.scale"));
        assertEquals(GgufValue.f32(3.0f), m.get("granitemoe.embedding_scale"));
        assertEquals(GgufValue.f32(0.6f), m.get("granitemoe.residual_scale"));
        assertEquals(GgufValue.f32(2.5f), m.get("granitemoe.logit_scale"));
        assertEquals(GgufValue.u32(12), m.get("granitemoe.feed_forward_length"));
        assertEquals(GgufValue.u32(4), m.get("granitemoe.expert_count"));
        assertEquals(GgufValue.u32(2), m.get("granitemoe.expert_used_count"));
        assertEquals(GgufValue.u32(4), m.get("granitemoe.rope.dimension_count"));
        // input_linear [E, 2I, H]: rows [0, I) of each expert are ffn_gate_exps, [I, 2I)
        // ffn_up_exps; output_linear is ffn_down_exps; ggml's ne is the row-major shape reversed.
        assertArrayEquals(
                new long[] {4, 12, 16}, file.tensors().get("blk.1.ffn_gate_exps.weight").shape());
        assertArrayEquals(
                new long[] {4, 16, 12}, file.tensors().get("blk.1.ffn_down_exps.weight").shape());
        assertTrue(file.tensors().containsKey("output.weight"));
        HfCheckpoint hf = HfCheckpointLoader.inspect(checkpoint);
        CheckpointRows rows = new CheckpointRows(hf.checkpoint());
        CheckpointRows.Slice fused =
                rows.resolve(
                        "model.layers.1.block_sparse_moe.input_linear.weight",
                        new long[] {4, 24, 16});
        float[] hfRow = new float[16];
        float[] ggufRow = new float[16];
        // Expert 2's up row 5 is input_linear row 2·24 + 12 + 5; ffn_up_exps row 2·12 + 5.
        CheckpointRows.row(fused, 2 * 24 + 12 + 5, hfRow);
        GgufFile.MappedRows up = file.map(file.tensors().get("blk.1.ffn_up_exps.weight"));
        GgufCodec.decode(up.chunks()[0], (2 * 12 + 5) * 16 * 4, GgufType.F32, ggufRow, 0, 16);
        assertArrayEquals(hfRow, ggufRow);
        CheckpointRows.row(fused, 2 * 24 + 5, hfRow);
        GgufFile.MappedRows gate = file.map(file.tensors().get("blk.1.ffn_gate_exps.weight"));
        GgufCodec.decode(gate.chunks()[0], (2 * 12 + 5) * 16 * 4, GgufType.F32, ggufRow, 0, 16);
        assertArrayEquals(hfRow, ggufRow);
        try (GgufSource source = GgufSource.open(out)) {
            assertEquals(hf.spec().multipliers(), source.spec().multipliers());
            assertTrue(source.contains("model.layers.0.block_sparse_moe.router.layer.weight"));
            assertTrue(source.contains("model.layers.0.block_sparse_moe.experts.3.up_proj.weight"));
        }
    }

    @Test
    void glm4MoeKeysAndPartialRope() throws Exception {
        Path checkpoint = GgufTestFiles.fixtures().resolve("glm4_moe");
        Path out = dir.resolve("glm.gguf");
        assertEquals("glm4moe", GgufExport.export(checkpoint, out, GgufType.F32).architecture());
        GgufFile file = GgufFile.open(out);
        var m = file.metadata();
        // head_dim 8, partial_rotary_factor 0.5: RoPE over 4 values of each head.
        assertEquals(GgufValue.u32(8), m.get("glm4moe.attention.key_length"));
        assertEquals(GgufValue.u32(4), m.get("glm4moe.rope.dimension_count"));
        assertEquals(GgufValue.u32(1), m.get("glm4moe.leading_dense_block_count"));
        assertEquals(GgufValue.u32(20), m.get("glm4moe.feed_forward_length"));
        assertEquals(GgufValue.u32(6), m.get("glm4moe.expert_feed_forward_length"));
        assertEquals(GgufValue.u32(1), m.get("glm4moe.expert_shared_count"));
        assertEquals(GgufValue.u32(2), m.get("glm4moe.expert_gating_func"));
        assertEquals(GgufValue.f32(2.5f), m.get("glm4moe.expert_weights_scale"));
        assertEquals(GgufValue.bool(true), m.get("glm4moe.expert_weights_norm"));
        assertEquals(GgufValue.u32(0), m.get("glm4moe.nextn_predict_layers"));
        assertEquals(GgufValue.u32(3), m.get("glm4moe.block_count"));
        assertTrue(file.tensors().containsKey("blk.0.post_attention_norm.weight"));
        assertTrue(file.tensors().containsKey("blk.1.exp_probs_b.bias"));
        assertTrue(file.tensors().containsKey("blk.1.attn_q.bias"));
        assertTrue(file.tensors().containsKey("blk.1.attn_k_norm.weight"));
        assertTrue(file.tensors().containsKey("blk.1.ffn_gate_shexp.weight"));
        assertTrue(file.tensors().containsKey("blk.0.ffn_gate.weight"), "dense first layer");
        assertTrue(!file.tensors().containsKey("blk.3.attn_q.weight"), "no MTP layer written");
        try (GgufSource source = GgufSource.open(out)) {
            assertEquals(HfCheckpointLoader.inspect(checkpoint).spec(), source.spec());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"F16", "BF16", "Q8_0", "Q4_0"})
    void mixtralFixtureInEveryType(String type) throws Exception {
        check(GgufTestFiles.fixtures().resolve("mixtral"), GgufType.valueOf(type));
    }

    @ParameterizedTest
    @ValueSource(strings = {"F32", "F16", "BF16", "Q8_0", "Q4_0"})
    void wideCheckpointInEveryType(String type) throws Exception {
        Path checkpoint = GgufTestFiles.wideMixtral(dir.resolve("wide"));
        GgufType t = GgufType.valueOf(type);
        Path out = check(checkpoint, t);
        GgufFile file = GgufFile.open(out);
        assertEquals(t, file.tensors().get("blk.0.ffn_gate_exps.weight").type());
        assertEquals(t, file.tensors().get("token_embd.weight").type());
        assertEquals(GgufType.F32, file.tensors().get("blk.0.ffn_gate_inp.weight").type());
        assertEquals(GgufType.F32, file.tensors().get("blk.0.attn_norm.weight").type());
        assertEquals(300, file.metadata().get("tokenizer.ggml.tokens").asList().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"mixtral", "qwen2_moe", "deepseek_v3", "granitemoe"})
    void tiedEmbeddingsRoundTrip(String name) throws Exception {
        // GraniteMoE's fused experts are not the plan's (per-expert) keys: it keeps the fixture's
        // weights, whose lm_head.weight is then unused.
        boolean granite = name.equals("granitemoe");
        Path checkpoint =
                EngineReference.variant(
                        GgufTestFiles.fixtures().resolve(name),
                        dir.resolve(name + "_tied"),
                        !granite,
                        c -> c.addProperty("tie_word_embeddings", true));
        Path out = check(checkpoint, GgufType.F32);
        GgufFile file = GgufFile.open(out);
        // llama and granitemoe fall back to token_embd; the others need output.weight, a copy.
        assertEquals(
                !name.equals("mixtral") && !granite, file.tensors().containsKey("output.weight"));
        try (GgufSource source = GgufSource.open(out)) {
            assertTrue(source.spec().tieWordEmbeddings());
            assertFalse(source.contains("lm_head.weight"));
        }
    }

    /** Exports, imports and compares every key the engine reads; returns the GGUF file. */
    private Path check(Path checkpoint, GgufType type) throws Exception {
        HfCheckpoint hf = HfCheckpointLoader.inspect(checkpoint);
        Path out = dir.resolve(checkpoint.getFileName() + "." + type + ".gguf");
        GgufExport.Summary summary = GgufExport.export(checkpoint, out, type);
        try (GgufSource source = GgufSource.open(out)) {
            DecoderSpec spec = hf.spec();
            assertEquals(spec.toJson(), source.spec().toJson());
            assertEquals(summary.architecture(), source.architecture());
            GgufArchitecture arch = GgufArchitectures.byName(source.architecture(), "test");
            CheckpointRows rows = new CheckpointRows(hf.checkpoint());
            Set<String> seen = new HashSet<>();
            for (GgufTensorPlan.Entry e : GgufTensorPlan.of(spec, arch).entries()) {
                if (!e.importable()) {
                    continue;
                }
                long cols = e.keyShape()[e.keyShape().length - 1];
                GgufType stored = e.keepF32() || cols % type.blockSize() != 0 ? GgufType.F32 : type;
                for (String key : e.keys()) {
                    assertTrue(source.contains(key), key);
                    seen.add(key);
                    float[] expected = expected(rows.resolve(key, e.keyShape()), stored);
                    assertArrayEquals(expected, source.floats(key, e.keyShape()), key);
                    if (e.keyShape().length == 2 && hasCodec(stored)) {
                        WeightMatrix m = source.matrix(key, e.keyShape());
                        assertEquals(stored.format(), m.format());
                        assertArrayEquals(expected, m.toFloats(), key);
                    }
                }
            }
            assertEquals(seen, source.keys());
            assertThrows(
                    MalformedCheckpointException.class,
                    () -> source.matrix("model.embed_tokens.weight", 1, 2));
            assertThrows(MalformedCheckpointException.class, () -> source.floats("nope", 1));
            assertFalse(source.contains("nope"));
        }
        return out;
    }

    /** The Q8_0/Q4_0 row codecs may not exist yet in this engine; floats() decodes them anyway. */
    private static boolean hasCodec(GgufType type) {
        try {
            io.moezoo.engine.tensor.Codecs.of(type.format());
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static float[] expected(CheckpointRows.Slice s, GgufType stored) {
        float[] all = new float[s.rows() * s.cols()];
        float[] row = new float[s.cols()];
        for (int r = 0; r < s.rows(); r++) {
            CheckpointRows.row(s, r, row);
            float[] kept = GgufRoundTripTest.expected(row, stored);
            System.arraycopy(kept, 0, all, r * s.cols(), s.cols());
        }
        return all;
    }

    @Test
    void llamaQueryRowsArePermutedInTheFile() throws Exception {
        Path checkpoint = GgufTestFiles.fixtures().resolve("mixtral");
        Path out = dir.resolve("perm.gguf");
        GgufExport.export(checkpoint, out, GgufType.F32);
        HfCheckpoint hf = HfCheckpointLoader.inspect(checkpoint);
        CheckpointRows rows = new CheckpointRows(hf.checkpoint());
        CheckpointRows.Slice q =
                rows.resolve("model.layers.0.self_attn.q_proj.weight", new long[] {16, 16});
        GgufFile file = GgufFile.open(out);
        GgufTensorInfo t = file.tensors().get("blk.0.attn_q.weight");
        GgufFile.MappedRows m = file.map(t);
        float[] hfRow = new float[16];
        float[] ggufRow = new float[16];
        // head_dim 4: GGUF row 1 (pair 0, second element) is HF row 2 (second half of head 0).
        CheckpointRows.row(q, 2, hfRow);
        GgufCodec.decode(m.chunks()[0], 64, GgufType.F32, ggufRow, 0, 16);
        assertArrayEquals(hfRow, ggufRow);
        assertEquals(
                List.of(
                        "llama",
                        "qwen2moe",
                        "olmoe",
                        "deepseek2",
                        "granitemoe",
                        "glm4moe",
                        "gpt-oss"),
                GgufArchitectures.names());
    }

    @Test
    void unsupportedCheckpointsAreRefusedClearly() throws Exception {
        MalformedCheckpointException swa =
                assertThrows(
                        MalformedCheckpointException.class,
                        () ->
                                GgufExport.export(
                                        GgufTestFiles.fixtures().resolve("mixtral_swa"),
                                        dir.resolve("swa.gguf"),
                                        GgufType.F32));
        assertTrue(swa.getMessage().contains("sliding_window"), swa.getMessage());
        MalformedCheckpointException jet =
                assertThrows(
                        MalformedCheckpointException.class,
                        () ->
                                GgufExport.export(
                                        GgufTestFiles.fixtures().resolve("jetmoe"),
                                        dir.resolve("jet.gguf"),
                                        GgufType.F32));
        assertTrue(jet.getMessage().contains("jetmoe"), jet.getMessage());
        MalformedCheckpointException fp8 =
                assertThrows(
                        MalformedCheckpointException.class,
                        () ->
                                GgufExport.export(
                                        GgufTestFiles.fixtures().resolve("deepseek_v3_fp8"),
                                        dir.resolve("fp8.gguf"),
                                        GgufType.F32));
        assertTrue(fp8.getMessage().contains("FP8"), fp8.getMessage());
    }
}
