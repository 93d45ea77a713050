package io.moezoo.engine.model;

import io.moezoo.blocks.attention.AttentionLayerSpec;
import io.moezoo.blocks.attention.AttentionSpec;
import io.moezoo.blocks.attention.MlaSpec;
import io.moezoo.blocks.attention.MoaSpec;
import io.moezoo.blocks.spec.ClampedSwiGluExpertSpec;
import io.moezoo.blocks.spec.GroupLimitedSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.SharedExpertSpec;
import io.moezoo.blocks.spec.SwiGluExpertSpec;
import io.moezoo.blocks.spec.TopKSoftmaxSpec;
import io.moezoo.engine.tensor.TensorSource;
import io.moezoo.engine.tensor.WeightMatrix;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.hf.ExpertNames;
import io.moezoo.hf.HfModelTypes;
import io.moezoo.models.language.DecoderSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds every weight of a {@link CausalLm} in a {@link TensorSource} under its Hugging Face key,
 * with the shape the spec implies, and wires the layers: the same keys the PyTorch reference loader
 * reads ({@code model.embed_tokens.weight}, {@code model.layers.i.self_attn.q_proj.weight}, the
 * experts per expert or fused as {@code experts.gate_up_proj}, …). Fused JetMoE/GraniteMoE experts
 * ({@code input_linear}) may also be served per expert as {@code experts.<j>.gate_proj/up_proj/
 * down_proj} (GGUF files). gpt-oss layers read {@code self_attn.o_proj.bias} and {@code
 * self_attn.sinks}, the router {@code mlp.router.weight/bias} and the experts as {@link
 * GptOssExperts} does; each layer's attention takes its own window ({@code
 * DecoderSpec.attention(i)}).
 */
final class ModelWeights {

    private final TensorSource source;
    private final DecoderSpec spec;

    private ModelWeights(TensorSource source) {
        this.source = source;
        this.spec = source.spec();
    }

    static CausalLm build(TensorSource source) throws IOException, MalformedCheckpointException {
        return new ModelWeights(source).model();
    }

    private CausalLm model() throws IOException, MalformedCheckpointException {
        int v = spec.vocabSize();
        int h = spec.hiddenSize();
        WeightMatrix embedding = source.matrix("model.embed_tokens.weight", v, h);
        List<DecoderLayer> layers = new ArrayList<>();
        for (int i = 0; i < spec.numLayers(); i++) {
            String p = "model.layers." + i + ".";
            layers.add(
                    new DecoderLayer(
                            source.floats(p + "input_layernorm.weight", h),
                            attention(p, spec.attention(i)),
                            source.floats(p + "post_attention_layernorm.weight", h),
                            feedForward(p, spec.ffn().get(i)),
                            spec.layerNormEps(),
                            spec.multipliers().residual()));
        }
        float[] norm = source.floats("model.norm.weight", h);
        WeightMatrix head =
                spec.tieWordEmbeddings() ? embedding : source.matrix("lm_head.weight", v, h);
        return new CausalLm(spec, embedding, layers, norm, head, source);
    }

    private Attention attention(String p, AttentionLayerSpec layer)
            throws IOException, MalformedCheckpointException {
        if (layer instanceof MlaSpec mla) {
            return latent(p + "self_attn.", mla);
        }
        if (layer instanceof MoaSpec moa) {
            return mixture(p + "self_attention.", moa);
        }
        if (!(layer instanceof AttentionSpec a)) {
            throw new MalformedCheckpointException(
                    "model_type "
                            + spec.modelType()
                            + ": the MoeJava engine does not run "
                            + layer.getClass().getSimpleName()
                            + " attention; use the PyTorch engine");
        }
        int h = spec.hiddenSize();
        int q = a.numHeads() * a.headDim();
        int kv = a.numKvHeads() * a.headDim();
        String s = p + "self_attn.";
        float[][] biases = null;
        if (a.qkvBias()) {
            biases =
                    new float[][] {
                        source.floats(s + "q_proj.bias", q),
                        source.floats(s + "k_proj.bias", kv),
                        source.floats(s + "v_proj.bias", kv)
                    };
        }
        float[] qNorm = null;
        float[] kNorm = null;
        switch (a.qkNorm()) {
            case FULL:
                qNorm = source.floats(s + "q_norm.weight", q);
                kNorm = source.floats(s + "k_norm.weight", kv);
                break;
            case PER_HEAD:
                qNorm = source.floats(s + "q_norm.weight", a.headDim());
                kNorm = source.floats(s + "k_norm.weight", a.headDim());
                break;
            default:
                break;
        }
        return new GqaAttention(
                a,
                source.matrix(s + "q_proj.weight", q, h),
                source.matrix(s + "k_proj.weight", kv, h),
                source.matrix(s + "v_proj.weight", kv, h),
                source.matrix(s + "o_proj.weight", h, q),
                biases,
                qNorm,
                kNorm,
                a.oBias() ? source.floats(s + "o_proj.bias", h) : null,
                a.sinks() ? source.floats(s + "sinks", a.numHeads()) : null);
    }

    private Attention latent(String s, MlaSpec a) throws IOException, MalformedCheckpointException {
        int h = spec.hiddenSize();
        int heads = a.numHeads();
        int qOut = heads * a.qkHeadDim();
        WeightMatrix qProj = null;
        WeightMatrix qA = null;
        float[] qANorm = null;
        WeightMatrix qB = null;
        if (a.qLoraRank() == 0) {
            qProj = source.matrix(s + "q_proj.weight", qOut, h);
        } else {
            qA = source.matrix(s + "q_a_proj.weight", a.qLoraRank(), h);
            qANorm = source.floats(s + "q_a_layernorm.weight", a.qLoraRank());
            qB = source.matrix(s + "q_b_proj.weight", qOut, a.qLoraRank());
        }
        return new MlaAttention(
                a,
                qProj,
                qA,
                qANorm,
                qB,
                source.matrix(
                        s + "kv_a_proj_with_mqa.weight", a.kvLoraRank() + a.qkRopeHeadDim(), h),
                source.floats(s + "kv_a_layernorm.weight", a.kvLoraRank()),
                source.matrix(
                        s + "kv_b_proj.weight",
                        (long) heads * (a.qkNopeHeadDim() + a.vHeadDim()),
                        a.kvLoraRank()),
                source.matrix(s + "o_proj.weight", h, (long) heads * a.vHeadDim()));
    }

    private Attention mixture(String s, MoaSpec a)
            throws IOException, MalformedCheckpointException {
        int h = spec.hiddenSize();
        int p = a.projectionSize();
        int e = a.numExperts();
        return new MoaAttention(
                a,
                source.matrix(s + "kv_proj.weight", 2L * p, h),
                source.matrix(s + "experts.router.layer.weight", e, h),
                source.matrix(s + "experts.input_linear.weight", e, p, h),
                source.matrix(s + "experts.output_linear.weight", e, h, p),
                source.floats(s + "experts.bias", h));
    }

    private FeedForward feedForward(String p, MoeLayerSpec moe)
            throws IOException, MalformedCheckpointException {
        if (moe == null) {
            return dense(p + "mlp.", spec.denseIntermediateSize(), false);
        }
        int h = spec.hiddenSize();
        int e = moe.experts().numExperts();
        if (moe.experts() instanceof ClampedSwiGluExpertSpec clamped) {
            // gpt-oss: mlp.router.{weight,bias} and the experts' own keys.
            String block = p + "mlp.";
            return new MoeFfn(
                    source.matrix(block + "router.weight", e, h),
                    null,
                    routing(moe, block + "router.bias"),
                    GptOssExperts.load(source, block, clamped, h),
                    null,
                    null);
        }
        if (!(moe.experts() instanceof SwiGluExpertSpec)) {
            throw new MalformedCheckpointException(
                    "model_type "
                            + spec.modelType()
                            + ": the MoeJava engine does not run "
                            + moe.experts().getClass().getSimpleName()
                            + " experts; use the PyTorch engine");
        }
        int i = moe.experts().intermediateSize();
        ExpertNames names = HfModelTypes.expertNames(spec.modelType());
        boolean jetMoe = names.fused();
        String block = names.block(p, source::contains);
        WeightMatrix router =
                source.matrix(block + (jetMoe ? "router.layer.weight" : "gate.weight"), e, h);
        SwiGluFfn[] experts = new SwiGluFfn[e];
        String fusedKey = jetMoe ? block + "input_linear.weight" : block + "experts.gate_up_proj";
        if (source.contains(fusedKey)) {
            String downKey = jetMoe ? block + "output_linear.weight" : block + "experts.down_proj";
            WeightMatrix gateUp = source.matrix(fusedKey, e, 2L * i, h);
            WeightMatrix down = source.matrix(downKey, e, h, i);
            for (int j = 0; j < e; j++) {
                experts[j] =
                        new SwiGluFfn(
                                gateUp.rowRange(2 * i * j, i),
                                gateUp.rowRange(2 * i * j + i, i),
                                down.rowRange(h * j, h),
                                null);
            }
        } else {
            // Fused experts served per expert (a GGUF file's stacked experts) take transformers'
            // common names: a fused naming has no per-expert gate/up names of its own.
            String gate = jetMoe ? "gate_proj" : names.gate();
            String up = jetMoe ? "up_proj" : names.up();
            String down = jetMoe ? "down_proj" : names.down();
            for (int j = 0; j < e; j++) {
                String x = block + "experts." + j + ".";
                experts[j] =
                        new SwiGluFfn(
                                source.matrix(x + gate + ".weight", i, h),
                                source.matrix(x + up + ".weight", i, h),
                                source.matrix(x + down + ".weight", h, i),
                                null);
            }
        }
        float[] correction = null;
        if (moe.router() instanceof GroupLimitedSpec g && g.correctionBias()) {
            correction = source.floats(block + "gate.e_score_correction_bias", e);
        }
        SwiGluFfn shared = null;
        SharedExpertSpec sharedSpec = moe.sharedExpert();
        if (sharedSpec != null) {
            shared =
                    sharedSpec.gated()
                            ? dense(block + "shared_expert.", sharedSpec.intermediateSize(), true)
                            : dense(
                                    block + "shared_experts.",
                                    sharedSpec.intermediateSize(),
                                    false);
        }
        float[] outputBias = moe.outputBias() ? source.floats(block + "bias", h) : null;
        return new MoeFfn(
                router,
                correction,
                routing(moe, block + "router.bias"),
                experts,
                shared,
                outputBias);
    }

    /** The layer's token router, with its logit bias ({@code biasKey}) if the spec has one. */
    private TokenRouter routing(MoeLayerSpec moe, String biasKey)
            throws IOException, MalformedCheckpointException {
        float[] bias = null;
        if (moe.router() instanceof TopKSoftmaxSpec t && t.bias()) {
            bias = source.floats(biasKey, moe.router().numExperts());
        }
        try {
            return new TokenRouter(moe.router(), bias);
        } catch (IllegalArgumentException x) {
            throw new MalformedCheckpointException(x.getMessage(), x);
        }
    }

    private SwiGluFfn dense(String prefix, int intermediate, boolean gated)
            throws IOException, MalformedCheckpointException {
        int h = spec.hiddenSize();
        WeightMatrix outputGate = null;
        if (gated) {
            // Qwen2-MoE: shared_expert_gate [1, H] beside shared_expert.
            String gateKey = prefix.substring(0, prefix.length() - 1) + "_gate.weight";
            outputGate = source.matrix(gateKey, 1, h);
        }
        return new SwiGluFfn(
                source.matrix(prefix + "gate_proj.weight", intermediate, h),
                source.matrix(prefix + "up_proj.weight", intermediate, h),
                source.matrix(prefix + "down_proj.weight", h, intermediate),
                outputGate);
    }
}
