package io.moezoo.onnx.graph;

import java.util.List;

/**
 * Typed shorthands for the opset-17 operators the exporters use, each adding one node (or a few) to
 * a {@link GraphBuilder} and returning the output name.
 */
public final class OnnxOps {

    private final GraphBuilder g;
    private final boolean shareConstants;

    /**
     * Wraps a builder.
     *
     * @param graph the graph to add nodes to
     */
    public OnnxOps(GraphBuilder graph) {
        this(graph, false);
    }

    private OnnxOps(GraphBuilder graph, boolean shareConstants) {
        this.g = graph;
        this.shareConstants = shareConstants;
    }

    /**
     * Returns shorthands for the same graph whose {@link #constant}s are shared by name and value
     * ({@link GraphBuilder#sharedInitializer}): writing the same block twice through them stores
     * its weights once.
     *
     * @return the sharing shorthands
     */
    public OnnxOps sharingConstants() {
        return shareConstants ? this : new OnnxOps(g, true);
    }

    /**
     * Returns the builder.
     *
     * @return the graph builder
     */
    public GraphBuilder graph() {
        return g;
    }

    /**
     * Adds an initializer.
     *
     * @param tensor the constant
     * @return its name
     */
    public String constant(OnnxTensor tensor) {
        return shareConstants ? g.sharedInitializer(tensor) : g.initializer(tensor);
    }

    /**
     * {@code MatMul}.
     *
     * @param a left
     * @param b right
     * @return a·b
     */
    public String matMul(String a, String b) {
        return g.op("MatMul", List.of(a, b));
    }

    /**
     * {@code Add}.
     *
     * @param a left
     * @param b right
     * @return a + b (broadcast)
     */
    public String add(String a, String b) {
        return g.op("Add", List.of(a, b));
    }

    /**
     * {@code Sub}.
     *
     * @param a left
     * @param b right
     * @return a - b (broadcast)
     */
    public String sub(String a, String b) {
        return g.op("Sub", List.of(a, b));
    }

    /**
     * {@code Mul}.
     *
     * @param a left
     * @param b right
     * @return a · b (elementwise, broadcast)
     */
    public String mul(String a, String b) {
        return g.op("Mul", List.of(a, b));
    }

    /**
     * {@code Div}.
     *
     * @param a left
     * @param b right
     * @return a / b (broadcast)
     */
    public String div(String a, String b) {
        return g.op("Div", List.of(a, b));
    }

    /**
     * Multiplies by a float scalar, or returns x for 1.
     *
     * @param x the value
     * @param factor the factor
     * @return x · factor
     */
    public String scale(String x, float factor) {
        return factor == 1f ? x : mul(x, g.scalar(factor));
    }

    /**
     * A unary operator such as {@code Sigmoid}, {@code Relu}, {@code Erf}, {@code Exp}.
     *
     * @param opType the operator
     * @param x the input
     * @return the output
     */
    public String unary(String opType, String x) {
        return g.op(opType, List.of(x));
    }

    /**
     * {@code Softmax} over an axis.
     *
     * @param x the input
     * @param axis the axis
     * @return the softmax
     */
    public String softmax(String x, long axis) {
        return g.op("Softmax", List.of(x), OnnxAttribute.of("axis", axis));
    }

    /**
     * {@code TopK}: the k largest values, sorted, over an axis.
     *
     * @param x the input
     * @param k k
     * @param axis the axis
     * @return {values, int64 indices}
     */
    public String[] topK(String x, long k, long axis) {
        return g.ops(
                "TopK",
                2,
                List.of(x, g.ints(k)),
                OnnxAttribute.of("axis", axis),
                OnnxAttribute.of("largest", 1L),
                OnnxAttribute.of("sorted", 1L));
    }

    /**
     * {@code GatherElements}.
     *
     * @param x the data
     * @param indices int64 indices of x's rank
     * @param axis the axis
     * @return the gathered values
     */
    public String gatherElements(String x, String indices, long axis) {
        return g.op("GatherElements", List.of(x, indices), OnnxAttribute.of("axis", axis));
    }

    /**
     * {@code Gather}.
     *
     * @param x the data
     * @param indices int64 indices
     * @param axis the axis
     * @return the gathered slices
     */
    public String gather(String x, String indices, long axis) {
        return g.op("Gather", List.of(x, indices), OnnxAttribute.of("axis", axis));
    }

    /**
     * {@code Reshape}.
     *
     * @param x the input
     * @param shape the target shape (may hold 0 and -1)
     * @return the reshaped value
     */
    public String reshape(String x, long... shape) {
        return g.op("Reshape", List.of(x, g.ints(shape)));
    }

    /**
     * {@code Reshape} to a shape computed in the graph.
     *
     * @param x the input
     * @param shape an int64 shape value
     * @return the reshaped value
     */
    public String reshapeTo(String x, String shape) {
        return g.op("Reshape", List.of(x, shape));
    }

    /**
     * {@code Shape}.
     *
     * @param x the input
     * @return its int64 shape
     */
    public String shape(String x) {
        return g.op("Shape", List.of(x));
    }

    /**
     * {@code Unsqueeze}.
     *
     * @param x the input
     * @param axes the new axes
     * @return the value with the axes inserted
     */
    public String unsqueeze(String x, long... axes) {
        return g.op("Unsqueeze", List.of(x, g.ints(axes)));
    }

    /**
     * {@code Squeeze}.
     *
     * @param x the input
     * @param axes the axes to drop
     * @return the squeezed value
     */
    public String squeeze(String x, long... axes) {
        return g.op("Squeeze", List.of(x, g.ints(axes)));
    }

    /**
     * {@code Transpose}.
     *
     * @param x the input
     * @param perm the permutation
     * @return the transposed value
     */
    public String transpose(String x, long... perm) {
        return g.op("Transpose", List.of(x), OnnxAttribute.ints("perm", perm));
    }

    /**
     * {@code ReduceSum} (axes as an input since opset 13).
     *
     * @param x the input
     * @param keepDims whether to keep the reduced axes
     * @param axes the axes
     * @return the sum
     */
    public String reduceSum(String x, boolean keepDims, long... axes) {
        return g.op(
                "ReduceSum",
                List.of(x, g.ints(axes)),
                OnnxAttribute.of("keepdims", keepDims ? 1L : 0L));
    }

    /**
     * {@code ReduceMax} (axes as an attribute until opset 18).
     *
     * @param x the input
     * @param keepDims whether to keep the reduced axes
     * @param axes the axes
     * @return the maximum
     */
    public String reduceMax(String x, boolean keepDims, long... axes) {
        return g.op(
                "ReduceMax",
                List.of(x),
                OnnxAttribute.ints("axes", axes),
                OnnxAttribute.of("keepdims", keepDims ? 1L : 0L));
    }

    /**
     * {@code Cast}.
     *
     * @param x the input
     * @param to the target type
     * @return the cast value
     */
    public String cast(String x, OnnxDataType to) {
        return g.op("Cast", List.of(x), OnnxAttribute.of("to", (long) to.code()));
    }

    /**
     * {@code Equal}.
     *
     * @param a left
     * @param b right
     * @return a boolean tensor
     */
    public String equal(String a, String b) {
        return g.op("Equal", List.of(a, b));
    }

    /**
     * {@code Where}.
     *
     * @param condition a boolean tensor
     * @param a taken where true
     * @param b taken where false
     * @return the selection (broadcast)
     */
    public String where(String condition, String a, String b) {
        return g.op("Where", List.of(condition, a, b));
    }

    /**
     * {@code SiLU} as {@code x · σ(x)}.
     *
     * @param x the input
     * @return silu(x)
     */
    public String silu(String x) {
        return mul(x, unary("Sigmoid", x));
    }

    /**
     * Exact (erf) GELU, {@code 0.5·x·(1 + erf(x/√2))}, as PyTorch's default; opset 17 has no {@code
     * Gelu}.
     *
     * @param x the input
     * @return gelu(x)
     */
    public String gelu(String x) {
        String erf = unary("Erf", mul(x, g.scalar((float) (1 / Math.sqrt(2)))));
        return mul(mul(x, g.scalar(0.5f)), add(erf, g.scalar(1f)));
    }

    /**
     * {@code Split} into equal parts along an axis.
     *
     * @param x the input
     * @param parts the number of parts
     * @param axis the axis
     * @return the parts
     */
    public String[] split(String x, int parts, long axis) {
        return g.ops("Split", parts, List.of(x), OnnxAttribute.of("axis", axis));
    }

    /**
     * {@code Concat} along an axis.
     *
     * @param axis the axis
     * @param values the values
     * @return the concatenation
     */
    public String concat(long axis, List<String> values) {
        return g.op("Concat", values, OnnxAttribute.of("axis", axis));
    }

    /**
     * {@code NonZero} of a 1-D value, flattened to int64 indices {@code [n]}.
     *
     * @param mask a 1-D boolean or numeric value
     * @return the indices of its non-zero elements
     */
    public String nonZero1d(String mask) {
        return reshape(g.op("NonZero", List.of(mask)), -1);
    }

    /**
     * {@code ScatterND} with {@code reduction="add"} (opset 16+).
     *
     * @param data the base
     * @param indices int64 indices {@code [n, r]}
     * @param updates the values to add
     * @return data with the updates added
     */
    public String scatterAdd(String data, String indices, String updates) {
        return g.op(
                "ScatterND", List.of(data, indices, updates), OnnxAttribute.of("reduction", "add"));
    }

    /**
     * A float zero tensor of a shape computed in the graph ({@code ConstantOfShape}).
     *
     * @param shape an int64 shape value
     * @return zeros of that shape
     */
    public String zeros(String shape) {
        return g.op(
                "ConstantOfShape",
                List.of(shape),
                OnnxAttribute.of("value", OnnxTensor.floats("", new long[] {1}, new float[] {0})));
    }

    /**
     * An int64 scalar constant.
     *
     * @param value the value
     * @return its name
     */
    public String scalarInt(long value) {
        return g.scalarInt(value);
    }
}
