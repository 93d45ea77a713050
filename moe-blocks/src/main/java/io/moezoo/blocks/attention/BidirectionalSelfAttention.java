package io.moezoo.blocks.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.moezoo.blocks.ParameterViews;
import io.moezoo.blocks.Scalars;

/**
 * Multi-head self-attention without a causal mask, as in ViT encoders: every position sees every
 * position, or, given a key mask, every position the mask keeps.
 *
 * <pre>
 *   q, k, v = x·W_qᵀ + b_q, x·W_kᵀ + b_k, x·W_vᵀ + b_v         split into h heads of d = H / h
 *   y       = concat_heads(softmax(q·kᵀ / √d) · v)·W_oᵀ + b_o
 * </pre>
 *
 * <p>Maps {@code [B, S, H]} to {@code [B, S, H]}; scores and softmax are computed in float32.
 * Parameters: {@code q_proj}, {@code k_proj}, {@code v_proj}, {@code o_proj} weights {@code [H, H]}
 * ({@code [out, in]}) and, with biases, {@code q_proj_bias} … {@code o_proj_bias} {@code [H]}.
 */
public final class BidirectionalSelfAttention extends AbstractBlock implements TokenMixer {

    private static final byte VERSION = 1;

    private final int hiddenSize;
    private final int numHeads;
    private final Parameter[] weights = new Parameter[4];
    private final Parameter[] biases = new Parameter[4];

    /**
     * Creates the attention layer.
     *
     * @param hiddenSize H
     * @param numHeads h, which must divide H
     * @param bias whether the four projections have biases (ViT: true)
     * @throws IllegalArgumentException if the sizes are not positive or h does not divide H
     */
    public BidirectionalSelfAttention(int hiddenSize, int numHeads, boolean bias) {
        super(VERSION);
        if (hiddenSize <= 0 || numHeads <= 0 || hiddenSize % numHeads != 0) {
            throw new IllegalArgumentException(
                    "Self-attention needs positive sizes and numHeads dividing hiddenSize, got H="
                            + hiddenSize
                            + ", heads="
                            + numHeads);
        }
        this.hiddenSize = hiddenSize;
        this.numHeads = numHeads;
        String[] names = {"q_proj", "k_proj", "v_proj", "o_proj"};
        for (int i = 0; i < names.length; i++) {
            weights[i] =
                    addParameter(
                            Parameter.builder()
                                    .setName(names[i])
                                    .setType(Parameter.Type.WEIGHT)
                                    .optShape(new Shape(hiddenSize, hiddenSize))
                                    .build());
            if (bias) {
                biases[i] =
                        addParameter(
                                Parameter.builder()
                                        .setName(names[i] + "_bias")
                                        .setType(Parameter.Type.BIAS)
                                        .optShape(new Shape(hiddenSize))
                                        .build());
            }
        }
    }

    /**
     * Returns the number of heads.
     *
     * @return h
     */
    public int getNumHeads() {
        return numHeads;
    }

    /**
     * Attends over all positions of x.
     *
     * @param ps the parameter store
     * @param x {@code [B, S, H]}
     * @param training whether this is a training pass
     * @return {@code [B, S, H]}
     * @throws IllegalArgumentException if x is not {@code [B, S, H]}
     */
    public NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        return apply(ps, x, null, training);
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if the context carries a KV cache (this attention keeps
     *     none), or x or the mask has the wrong shape
     */
    @Override
    public NDArray mix(ParameterStore ps, NDArray x, AttentionContext context, boolean training) {
        if (context.cache() != null) {
            throw new IllegalArgumentException(
                    "Bidirectional self-attention keeps no KV cache; pass a context without one");
        }
        return apply(ps, x, context.mask(), training);
    }

    /**
     * Attends over the positions of x that a key mask keeps. A masked key gets the score {@code
     * -Float.MAX_VALUE}, so a query whose keys are all masked averages them instead of producing
     * NaN.
     *
     * @param ps the parameter store
     * @param x {@code [B, S, H]}
     * @param mask {@code [B, S]}, non-zero where a key may be attended to, or null for none
     * @param training whether this is a training pass
     * @return {@code [B, S, H]}
     * @throws IllegalArgumentException if x is not {@code [B, S, H]} or the mask not {@code [B, S]}
     */
    public NDArray apply(ParameterStore ps, NDArray x, NDArray mask, boolean training) {
        Shape shape = x.getShape();
        if (shape.dimension() != 3 || shape.get(2) != hiddenSize) {
            throw new IllegalArgumentException(
                    "Self-attention expects [B, S, " + hiddenSize + "], got " + shape);
        }
        if (mask != null && !mask.getShape().equals(new Shape(shape.get(0), shape.get(1)))) {
            throw new IllegalArgumentException(
                    "Self-attention key mask must be [B, S] = ["
                            + shape.get(0)
                            + ", "
                            + shape.get(1)
                            + "], got "
                            + mask.getShape());
        }
        long batch = shape.get(0);
        long length = shape.get(1);
        int d = hiddenSize / numHeads;
        NDArray q = heads(project(ps, x, 0, training), batch, length, d);
        NDArray k = heads(project(ps, x, 1, training), batch, length, d);
        NDArray v = heads(project(ps, x, 2, training), batch, length, d);
        NDArray scores =
                q.toType(DataType.FLOAT32, false)
                        .matMul(k.toType(DataType.FLOAT32, false).transpose(0, 1, 3, 2))
                        .mul(Scalars.of((float) (1 / Math.sqrt(d)), q));
        if (mask != null) {
            NDArray blocked = mask.eq(0).toType(DataType.FLOAT32, false);
            scores =
                    scores.add(
                            blocked.mul(Scalars.of(-Float.MAX_VALUE, blocked))
                                    .reshape(shape.get(0), 1, 1, shape.get(1)));
        }
        NDArray context =
                scores.softmax(-1)
                        .toType(v.getDataType(), false)
                        .matMul(v)
                        .transpose(0, 2, 1, 3)
                        .reshape(batch, length, hiddenSize);
        return project(ps, context, 3, training);
    }

    private NDArray project(ParameterStore ps, NDArray x, int which, boolean training) {
        NDArray w = ParameterViews.as(ps.getValue(weights[which], x.getDevice(), training), x);
        NDArray b =
                biases[which] == null
                        ? null
                        : ParameterViews.as(ps.getValue(biases[which], x.getDevice(), training), x);
        return Linear.linear(x, w, b).head();
    }

    private NDArray heads(NDArray x, long batch, long length, int d) {
        return x.reshape(batch, length, numHeads, d).transpose(0, 2, 1, 3);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }
}
