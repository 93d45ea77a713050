package io.moezoo.onnx.moe;

import io.moezoo.blocks.experts.ClampedSwiGluExperts;
import io.moezoo.blocks.experts.Experts;
import io.moezoo.blocks.experts.LoraExperts;
import io.moezoo.blocks.experts.MlpExperts;
import io.moezoo.blocks.experts.SwiGluExperts;
import io.moezoo.blocks.experts.SwiGluFeedForward;
import io.moezoo.blocks.spec.ClampedSwiGluExpertSpec;
import io.moezoo.blocks.spec.ExpertActivation;
import io.moezoo.blocks.spec.MlpExpertSpec;
import io.moezoo.onnx.UnsupportedExportException;
import io.moezoo.onnx.graph.OnnxOps;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes a routed expert bank into a graph, either one expert on its gathered rows ({@link
 * #perExpert}) or every expert on every row ({@link #allExperts}). Weights are transposed at export
 * time so each projection is one {@code MatMul}.
 *
 * <p>Supported forms: {@code swiglu} ({@code gate_up_proj [E,2I,H]}, {@code down_proj [E,H,I]}) and
 * {@code mlp} (GELU or ReLU, with or without biases). LoRA, clamped SwiGLU and linear banks throw
 * {@link UnsupportedExportException}.
 */
public final class ExpertExport {

    private final Experts experts;
    private final String prefix;
    private final boolean swiGlu;
    private final LoraExport lora;
    private final ClampedSwiGluExpertSpec clamped;
    private final Map<String, ParameterData> data = new HashMap<>();
    private final Map<String, String> names = new HashMap<>();

    private ExpertExport(Experts experts, String prefix) {
        this.experts = experts;
        this.prefix = prefix;
        this.lora = experts instanceof LoraExperts l ? new LoraExport(l, prefix) : null;
        this.clamped =
                experts instanceof ClampedSwiGluExperts
                        ? (ClampedSwiGluExpertSpec) experts.getSpec()
                        : null;
        if (lora != null) {
            swiGlu = true;
        } else if (experts instanceof ClampedSwiGluExperts c) {
            swiGlu = true;
            data.put("w1", ParameterData.of(c.getGateUpProj()).transposeLast());
            data.put("b1", ParameterData.of(c.getGateUpBias()));
            data.put("w2", ParameterData.of(c.getDownProj()).transposeLast());
            data.put("b2", ParameterData.of(c.getDownBias()));
        } else if (experts instanceof SwiGluExperts s) {
            swiGlu = true;
            data.put("w1", ParameterData.of(s.getGateUpProj()).transposeLast());
            data.put("w2", ParameterData.of(s.getDownProj()).transposeLast());
        } else if (experts instanceof MlpExperts m) {
            swiGlu = false;
            data.put("w1", ParameterData.of(m.getFc1()).transposeLast());
            data.put("w2", ParameterData.of(m.getFc2()).transposeLast());
            if (((MlpExpertSpec) m.getSpec()).bias()) {
                data.put("b1", ParameterData.of(m.getDirectParameters().get("fc1_bias")));
                data.put("b2", ParameterData.of(m.getDirectParameters().get("fc2_bias")));
            }
        } else {
            String type =
                    com.google.gson.JsonParser.parseString(experts.getSpec().toJson())
                            .getAsJsonObject()
                            .get("type")
                            .getAsString();
            throw new UnsupportedExportException(
                    "expert form '" + type + "'",
                    "only swiglu, clamped_swiglu, mlp and lora expert banks have an ONNX form"
                            + " here");
        }
    }

    /**
     * Reads an expert bank's weights.
     *
     * @param experts the bank (initialized)
     * @param prefix the initializer name prefix
     * @return the exporter
     * @throws UnsupportedExportException if the form is not supported
     */
    public static ExpertExport of(Experts experts, String prefix) {
        return new ExpertExport(experts, prefix);
    }

    private String weight(OnnxOps ops, String key, int expert) {
        String id = key + (expert < 0 ? "" : "[" + expert + "]");
        return names.computeIfAbsent(
                id,
                k -> {
                    ParameterData d = data.get(key);
                    if (expert >= 0) {
                        d = d.slice(expert);
                    } else if (key.startsWith("b")) {
                        long[] dims = d.dims();
                        d =
                                new ParameterData(
                                        d.name(), new long[] {dims[0], 1, dims[1]}, d.values());
                    }
                    String suffix = expert < 0 ? "" : "." + expert;
                    return ops.constant(d.tensor(prefix + "experts." + key + suffix));
                });
    }

    private String activation(OnnxOps ops, String h) {
        if (clamped != null) {
            // gpt-oss: g ≤ limit, u clamped to ±limit, (u + 1)·g·σ(α·g).
            String[] gateUp = ops.split(h, 2, -1);
            String limit = ops.graph().scalar(clamped.limit());
            String g = ops.graph().op("Min", java.util.List.of(gateUp[0], limit));
            String u =
                    ops.graph()
                            .op(
                                    "Clip",
                                    java.util.List.of(
                                            gateUp[1],
                                            ops.graph().scalar(-clamped.limit()),
                                            limit));
            String glu = ops.mul(ops.unary("Sigmoid", ops.scale(g, clamped.alpha())), g);
            return ops.mul(ops.add(u, ops.graph().scalar(1f)), glu);
        }
        if (swiGlu) {
            String[] gateUp = ops.split(h, 2, -1);
            return ops.mul(ops.silu(gateUp[0]), gateUp[1]);
        }
        ExpertActivation act = ((MlpExpertSpec) experts.getSpec()).activation();
        return act == ExpertActivation.RELU ? ops.unary("Relu", h) : ops.gelu(h);
    }

    private String forward(OnnxOps ops, String x, int expert) {
        String h = ops.matMul(x, weight(ops, "w1", expert));
        if (data.containsKey("b1")) {
            h = ops.add(h, weight(ops, "b1", expert));
        }
        String y = ops.matMul(activation(ops, h), weight(ops, "w2", expert));
        if (data.containsKey("b2")) {
            y = ops.add(y, weight(ops, "b2", expert));
        }
        return y;
    }

    /**
     * Adds expert {@code e} applied to its rows.
     *
     * @param ops the graph
     * @param expert the expert index
     * @param x the rows {@code [n, H]}
     * @return the outputs {@code [n, H]}
     */
    public String perExpert(OnnxOps ops, int expert, String x) {
        return lora != null ? lora.perExpert(ops, expert, x) : forward(ops, x, expert);
    }

    /**
     * Adds every expert applied to every row (batched {@code MatMul}).
     *
     * @param ops the graph
     * @param x the rows {@code [T, H]}
     * @return the outputs {@code [E, T, H]}
     */
    public String allExperts(OnnxOps ops, String x) {
        if (lora == null) {
            return forward(ops, x, -1);
        }
        java.util.List<String> outputs = new java.util.ArrayList<>();
        for (int e = 0; e < experts.getSpec().numExperts(); e++) {
            outputs.add(ops.unsqueeze(lora.perExpert(ops, e, x), 0));
        }
        return ops.concat(0, outputs);
    }

    /**
     * Adds a dense SwiGLU feed-forward (the shared expert): {@code down(silu(gate·x) ⊙ up·x)},
     * times {@code σ(x·g)} when it has an output gate.
     *
     * @param ops the graph
     * @param ffn the block (initialized)
     * @param x the rows {@code [T, H]}
     * @param prefix the initializer name prefix
     * @return the outputs {@code [T, H]}
     */
    public static String sharedExpert(OnnxOps ops, SwiGluFeedForward ffn, String x, String prefix) {
        String gate = linear(ops, ParameterData.of(ffn.getGateProj()), x, prefix + "gate_proj");
        String up = linear(ops, ParameterData.of(ffn.getUpProj()), x, prefix + "up_proj");
        String y =
                linear(
                        ops,
                        ParameterData.of(ffn.getDownProj()),
                        ops.mul(ops.silu(gate), up),
                        prefix + "down_proj");
        if (ffn.getOutputGate() != null) {
            String g =
                    linear(
                            ops,
                            ParameterData.of(ffn.getOutputGate()),
                            x,
                            prefix + "shared_expert_gate");
            y = ops.mul(y, ops.unary("Sigmoid", g));
        }
        return y;
    }

    /**
     * Adds {@code x · Wᵀ} for a weight stored {@code [out, in]}.
     *
     * @param ops the graph
     * @param weight the weight
     * @param x the input {@code [..., in]}
     * @param name the initializer name
     * @return {@code [..., out]}
     */
    static String linear(OnnxOps ops, ParameterData weight, String x, String name) {
        return ops.matMul(x, ops.constant(weight.transposeLast().tensor(name + "_t")));
    }
}
