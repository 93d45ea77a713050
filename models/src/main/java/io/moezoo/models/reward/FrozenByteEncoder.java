package io.moezoo.models.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.moezoo.blocks.attention.AttentionContext;
import io.moezoo.models.language.DecoderLayer;
import io.moezoo.models.language.MoeCausalLm;
import java.util.List;

/**
 * The frozen base of every reward model: a byte-level causal {@link MoeCausalLm} (dense layers)
 * pre-trained on the Brown training files. It is always run without gradients (its parameters are
 * frozen and every call passes {@code training = false} to the parameter store).
 *
 * <p>The reward models adapt only the last layer's FFN, so the encoder exposes the split point:
 * {@link #beforeLastFfn} gives the residual stream \(h\) after the last attention, and {@link
 * #finish} gives \(\mathrm{RMSNorm}_{final}(h + \mathrm{FFN}(\mathrm{RMSNorm}_{post}(h)))\) for any
 * FFN output.
 */
public final class FrozenByteEncoder extends AbstractBlock {

    private static final byte VERSION = 1;

    private final EncoderSpec spec;
    private final MoeCausalLm lm;

    /**
     * Creates the encoder.
     *
     * @param spec the encoder spec
     */
    public FrozenByteEncoder(EncoderSpec spec) {
        super(VERSION);
        this.spec = spec;
        lm = addChildBlock("lm", new MoeCausalLm(spec.toDecoderSpec()));
    }

    /**
     * Returns the spec.
     *
     * @return the encoder spec
     */
    public EncoderSpec getSpec() {
        return spec;
    }

    /**
     * Returns the language model (for pre-training and for copying the last FFN).
     *
     * @return the causal LM
     */
    public MoeCausalLm getLm() {
        return lm;
    }

    private DecoderLayer lastLayer() {
        return lm.getLayers().get(lm.getLayers().size() - 1);
    }

    /**
     * Runs the encoder up to and including the last layer's attention residual.
     *
     * @param ps the parameter store
     * @param ids byte ids {@code [N, S]} (int64)
     * @return the residual stream h {@code [N, S, H]}
     */
    public NDArray beforeLastFfn(ParameterStore ps, NDArray ids) {
        Shape shape = ids.getShape();
        NDArray table = ps.getValue(lm.getEmbedding(), ids.getDevice(), false);
        NDArray rows = table.get(new NDIndex("{}", ids.toType(DataType.INT64, false).reshape(-1)));
        rows.attach(ids.getManager());
        NDArray h = rows.reshape(shape.get(0), shape.get(1), spec.hiddenSize());
        List<DecoderLayer> layers = lm.getLayers();
        for (int i = 0; i < layers.size() - 1; i++) {
            h =
                    layers.get(i)
                            .forwardRouted(ps, h, AttentionContext.cached(null, i), false)
                            .output();
        }
        DecoderLayer last = lastLayer();
        return h.add(
                last.getAttention()
                        .apply(
                                ps,
                                last.getInputNorm().apply(ps, h, false),
                                null,
                                layers.size() - 1,
                                false));
    }

    /**
     * Applies the last layer's post-attention RMSNorm (the FFN input).
     *
     * @param ps the parameter store
     * @param h the residual stream {@code [..., H]}
     * @return the normalised FFN input
     */
    public NDArray ffnInput(ParameterStore ps, NDArray h) {
        return lastLayer().getPostAttentionNorm().apply(ps, h, false);
    }

    /**
     * Applies the last layer's frozen FFN.
     *
     * @param ps the parameter store
     * @param ffnInput the output of {@link #ffnInput}
     * @return the FFN output
     */
    public NDArray baseFfn(ParameterStore ps, NDArray ffnInput) {
        return lastLayer().getDense().apply(ps, ffnInput, false);
    }

    /**
     * Completes the pass: adds an FFN output to the residual and applies the final RMSNorm.
     *
     * @param ps the parameter store
     * @param h the residual stream
     * @param ffnOutput the FFN output (same shape)
     * @return the final hidden states
     */
    public NDArray finish(ParameterStore ps, NDArray h, NDArray ffnOutput) {
        return lm.getNorm().apply(ps, h.add(ffnOutput), false);
    }

    /**
     * Runs the whole frozen encoder.
     *
     * @param ps the parameter store
     * @param ids byte ids {@code [N, S]}
     * @return the final hidden states {@code [N, S, H]}
     */
    public NDArray hidden(ParameterStore ps, NDArray ids) {
        NDArray h = beforeLastFfn(ps, ids);
        return finish(ps, h, baseFfn(ps, ffnInput(ps, h)));
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        return new NDList(hidden(ps, inputs.head()));
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].add(spec.hiddenSize())};
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        lm.initialize(manager, dataType, new Shape(1, 1));
    }
}
