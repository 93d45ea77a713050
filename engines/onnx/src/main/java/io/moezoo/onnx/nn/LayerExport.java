package io.moezoo.onnx.nn;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.moezoo.blocks.attention.RmsNorm;
import io.moezoo.blocks.residual.GeluFeedForward;
import io.moezoo.onnx.UnsupportedExportException;
import io.moezoo.onnx.graph.OnnxAttribute;
import io.moezoo.onnx.graph.OnnxOps;
import io.moezoo.onnx.moe.ParameterData;
import java.util.List;

/** Writes the dense building blocks: linear maps, normalisations and the GELU MLP. */
public final class LayerExport {

    private LayerExport() {}

    /**
     * Adds a DJL {@code Linear} (or any block with {@code weight [out, in]} and an optional {@code
     * bias [out]}): {@code x·Wᵀ + b}.
     *
     * @param ops the graph
     * @param linear the block
     * @param x the input {@code [..., in]}
     * @param name the initializer name prefix
     * @return {@code [..., out]}
     */
    public static String linear(OnnxOps ops, Block linear, String x, String name) {
        return projection(ops, linear, "weight", "bias", x, name);
    }

    /**
     * Adds {@code x·Wᵀ + b} for a block's direct parameters {@code weight [out, in]} and, when the
     * block has it, {@code bias [out]} (initializers {@code prefix.<weight>_t} and {@code
     * prefix.<bias>}).
     *
     * @param ops the graph
     * @param block the block holding the parameters
     * @param weight the weight's parameter name
     * @param bias the bias's parameter name (absent: no bias)
     * @param x the input {@code [..., in]}
     * @param prefix the initializer name prefix
     * @return {@code [..., out]}
     */
    public static String projection(
            OnnxOps ops, Block block, String weight, String bias, String x, String prefix) {
        String y =
                ops.matMul(
                        x,
                        ops.constant(
                                Blocks.param(block, weight)
                                        .transposeLast()
                                        .tensor(prefix + "." + weight + "_t")));
        Parameter b = Blocks.optParam(block, bias);
        if (b != null) {
            y = ops.add(y, ops.constant(ParameterData.of(b).tensor(prefix + "." + bias)));
        }
        return y;
    }

    /**
     * Adds a layer normalisation over the last axis ({@code LayerNormalization}, opset 17), for a
     * DJL {@code LayerNorm} with {@code gamma} and {@code beta} of shape {@code [H]}.
     *
     * @param ops the graph
     * @param norm the block
     * @param x the input
     * @param epsilon ε
     * @param name the initializer name prefix
     * @return the normalised value
     */
    public static String layerNorm(OnnxOps ops, Block norm, String x, float epsilon, String name) {
        ParameterData gamma = Blocks.param(norm, "gamma");
        ParameterData beta = Blocks.param(norm, "beta");
        if (gamma.dims().length != 1) {
            throw new UnsupportedExportException(
                    "layer norm over " + gamma.dims().length + " axes", "only the last axis");
        }
        return ops.graph()
                .op(
                        "LayerNormalization",
                        List.of(
                                x,
                                ops.constant(gamma.tensor(name + ".gamma")),
                                ops.constant(beta.tensor(name + ".beta"))),
                        OnnxAttribute.of("axis", -1L),
                        OnnxAttribute.of("epsilon", epsilon));
    }

    /**
     * Adds an RMS normalisation {@code x / sqrt(mean(x²) + ε) · w}.
     *
     * @param ops the graph
     * @param norm the block
     * @param x the input
     * @param epsilon ε
     * @param name the initializer name prefix
     * @return the normalised value
     */
    public static String rmsNorm(OnnxOps ops, RmsNorm norm, String x, float epsilon, String name) {
        String meanSquare =
                ops.graph()
                        .op(
                                "ReduceMean",
                                List.of(ops.mul(x, x)),
                                OnnxAttribute.ints("axes", -1),
                                OnnxAttribute.of("keepdims", 1L));
        String rms = ops.unary("Sqrt", ops.add(meanSquare, ops.graph().scalar(epsilon)));
        String w = ops.constant(Blocks.param(norm, "weight").tensor(name + ".weight"));
        return ops.mul(ops.div(x, rms), w);
    }

    /**
     * Adds the dense GELU MLP {@code fc2(gelu(fc1(x)))}.
     *
     * @param ops the graph
     * @param mlp the block
     * @param x the input
     * @param name the initializer name prefix
     * @return the output
     */
    public static String geluMlp(OnnxOps ops, GeluFeedForward mlp, String x, String name) {
        String h = linear(ops, Blocks.child(mlp, "fc1"), x, name + ".fc1");
        return linear(ops, Blocks.child(mlp, "fc2"), ops.gelu(h), name + ".fc2");
    }
}
