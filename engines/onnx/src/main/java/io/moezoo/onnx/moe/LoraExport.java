package io.moezoo.onnx.moe;

import io.moezoo.blocks.experts.LoraExperts;
import io.moezoo.blocks.spec.LoraExpertSpec;
import io.moezoo.onnx.graph.OnnxOps;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes LoRA SwiGLU experts ({@link LoraExperts}, DMoERM): each projection p of expert e is {@code
 * x·Wₚᵀ + (α/r)·(x·A_{e,p}ᵀ)·B_{e,p}ᵀ} with the base {@code Wₚ} shared by all experts, then {@code
 * down(silu(gate) ⊙ up)}.
 */
public final class LoraExport {

    private static final String[] PROJECTIONS = {"gate", "up", "down"};

    private final LoraExperts experts;
    private final String prefix;
    private final float scale;
    private final Map<String, String> names = new HashMap<>();

    /**
     * Reads a LoRA bank.
     *
     * @param experts the bank (initialized)
     * @param prefix the initializer name prefix
     */
    public LoraExport(LoraExperts experts, String prefix) {
        this.experts = experts;
        this.prefix = prefix;
        LoraExpertSpec spec = (LoraExpertSpec) experts.getSpec();
        scale = spec.loraAlpha() / spec.loraRank();
    }

    private String constant(OnnxOps ops, String key, ParameterData data) {
        return names.computeIfAbsent(key, k -> ops.constant(data.tensor(prefix + "experts." + k)));
    }

    private String project(OnnxOps ops, int p, int expert, String x) {
        String proj = PROJECTIONS[p];
        String base =
                constant(
                        ops,
                        proj + "_proj_t",
                        ParameterData.of(experts.getBase(p)).transposeLast());
        String a =
                constant(
                        ops,
                        "lora_a_" + proj + "_t." + expert,
                        ParameterData.of(experts.getDirectParameters().get("lora_a_" + proj))
                                .slice(expert)
                                .transposeLast());
        String b =
                constant(
                        ops,
                        "lora_b_" + proj + "_t." + expert,
                        ParameterData.of(experts.getDirectParameters().get("lora_b_" + proj))
                                .slice(expert)
                                .transposeLast());
        String low = ops.scale(ops.matMul(ops.matMul(x, a), b), scale);
        return ops.add(ops.matMul(x, base), low);
    }

    /**
     * Adds expert {@code e} applied to rows.
     *
     * @param ops the graph
     * @param expert the expert index
     * @param x the rows {@code [..., H]}
     * @return the outputs {@code [..., H]}
     */
    public String perExpert(OnnxOps ops, int expert, String x) {
        String gate = project(ops, 0, expert, x);
        String up = project(ops, 1, expert, x);
        return project(ops, 2, expert, ops.mul(ops.silu(gate), up));
    }
}
