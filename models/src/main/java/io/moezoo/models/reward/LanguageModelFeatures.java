package io.moezoo.models.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.moezoo.models.language.DecoderSpec;
import io.moezoo.models.language.MoeCausalLm;
import java.util.List;

/**
 * What a frozen causal language model says about a response: the per-token log-likelihoods of the
 * response with and without the prompt, pooled into {@value #COUNT} statistics, and the prompt's
 * mean final hidden state.
 *
 * <p>For response token \(j\) (position \(p + j\) after a prompt of \(p\) tokens), \(c_j = \log
 * P(r_j \mid \text{prompt}, r_{\lt j})\) comes from one pass over {@code ids}, \(u_j = \log P(r_j
 * \mid \langle s\rangle, r_{\lt j})\) from a second pass over the response alone after the start
 * token, and \(d_j = c_j - u_j\) is the pointwise mutual information between prompt and token. The
 * statistics, over the n response tokens (first k = {@code boundaryTokens}, last t = {@code
 * tailTokens}):
 *
 * <pre>
 *  0 mean c      1 mean u      2 mean d      3 min c       4 min d
 *  5 Σ d / 10    6 mean c[:k]  7 mean d[:k]  8 mean c[-t:] 9 log n
 * </pre>
 *
 * Fluent text has high c (a shuffled or edited response does not); a response that belongs to the
 * prompt has high d, above all in its first tokens (an unrelated or displaced passage does not).
 *
 * <p>Inputs {@code [ids [B, S], prompt_mask [B, S], response_mask [B, S]]} (the prompt's tokens
 * first, then the response's, right-padded); outputs {@code [features [B, 10], prompt_state [B,
 * H]]}. The language model is frozen: this block holds its parameters and trains none.
 */
public final class LanguageModelFeatures extends AbstractBlock {

    /** The number of statistics. */
    public static final int COUNT = 10;

    /** The statistics' names, in order. */
    public static final List<String> NAMES =
            List.of(
                    "mean_logp",
                    "mean_logp_unconditional",
                    "mean_pmi",
                    "min_logp",
                    "min_pmi",
                    "sum_pmi_over_10",
                    "mean_logp_boundary",
                    "mean_pmi_boundary",
                    "mean_logp_tail",
                    "log_length");

    private static final byte VERSION = 1;
    private static final float LARGE = 1e4f;

    private final LmFeatureWindow spec;
    private final MoeCausalLm lm;

    /**
     * Creates the block.
     *
     * @param spec the reward spec's window (lengths, k, t and the start token)
     * @param base the language model's spec
     * @throws IllegalArgumentException if the start token is outside the vocabulary or the inputs
     *     are longer than the model's context
     */
    public LanguageModelFeatures(LmFeatureWindow spec, DecoderSpec base) {
        super(VERSION);
        if (spec.startToken() >= base.vocabSize()) {
            throw new IllegalArgumentException(
                    "startToken " + spec.startToken() + " is outside the vocabulary");
        }
        this.spec = spec;
        lm = addChildBlock("lm", new MoeCausalLm(base));
        if (spec.sequenceLength() > lm.contextLength()) {
            throw new IllegalArgumentException(
                    "maxPromptTokens + maxResponseTokens = "
                            + spec.sequenceLength()
                            + " exceeds the language model's context of "
                            + lm.contextLength());
        }
    }

    /**
     * Returns the frozen language model.
     *
     * @return the language model block
     */
    public MoeCausalLm getLanguageModel() {
        return lm;
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray promptMask = inputs.get(1).toType(DataType.FLOAT32, false);
        NDArray responseMask = inputs.get(2).toType(DataType.FLOAT32, false);
        // Only the longest input's positions are computed: the padding after it changes nothing
        // (the model is causal and every statistic is masked).
        float[] used = promptMask.add(responseMask).sum(new int[] {1}).toFloatArray();
        float[] responses = responseMask.sum(new int[] {1}).toFloatArray();
        long length = 1;
        long r = 1;
        for (int b = 0; b < used.length; b++) {
            if (responses[b] < 1) {
                throw new IllegalArgumentException("Input " + b + " has an empty response mask");
            }
            length = Math.max(length, (long) used[b]);
            r = Math.max(r, (long) responses[b]);
        }
        NDIndex kept = new NDIndex(":, :{}", length);
        NDArray ids = inputs.get(0).toType(DataType.INT64, false).get(kept);
        promptMask = promptMask.get(kept);
        responseMask = responseMask.get(kept);
        NDManager manager = ids.getManager();
        long batch = ids.getShape().get(0);

        // Response-relative positions: token j of the response sits at p + j.
        NDArray promptLength = promptMask.sum(new int[] {1}).toType(DataType.INT64, false);
        NDArray j = manager.arange(0, r, 1, DataType.INT64).expandDims(0);
        NDArray position = promptLength.expandDims(1).add(j).minimum(length - 1);
        NDArray n = responseMask.sum(new int[] {1}, true); // [B, 1]
        NDArray jf = j.toType(DataType.FLOAT32, false);
        NDArray valid = jf.lt(n).toType(DataType.FLOAT32, false);

        // Conditional pass: logp of ids[t] given ids[<t], read at the response positions.
        NDArray hidden = lm.hiddenStates(ps, ids, null, false, null);
        NDArray conditional =
                targetLogProbs(lm.project(ps, hidden, false), ids).gather(position, 1);
        NDArray responseIds = ids.gather(position, 1);
        NDArray start = manager.full(new Shape(batch, 1), spec.startToken(), DataType.INT64);
        NDArray alone = NDArrays.concat(new NDList(start, responseIds), 1);
        NDArray unconditional =
                targetLogProbs(lm.logits(ps, alone, null, false, null), alone).get(":, 1:");
        NDArray pmi = conditional.sub(unconditional);

        NDArray boundary = valid.mul(jf.lt(spec.boundaryTokens()).toType(DataType.FLOAT32, false));
        NDArray tail = valid.mul(jf.gte(n.sub(spec.tailTokens())).toType(DataType.FLOAT32, false));
        NDArray features =
                NDArrays.stack(
                        new NDList(
                                mean(conditional, valid),
                                mean(unconditional, valid),
                                mean(pmi, valid),
                                min(conditional, valid),
                                min(pmi, valid),
                                pmi.mul(valid).sum(new int[] {1}).div(10f),
                                mean(conditional, boundary),
                                mean(pmi, boundary),
                                mean(conditional, tail),
                                n.squeeze(1).log()),
                        1);
        NDArray promptState = MaskedMean.of(hidden, promptMask);
        return new NDList(features, promptState);
    }

    /**
     * Log-probabilities of each token given the ones before it.
     *
     * @param logits {@code [B, S, V]}
     * @param ids {@code [B, S]}
     * @return {@code [B, S]}: 0 at position 0, \(\log \mathrm{softmax}(\ell_{t-1})[x_t]\) after
     */
    static NDArray targetLogProbs(NDArray logits, NDArray ids) {
        NDArray logProbs = logits.get(":, :-1, :").logSoftmax(-1);
        NDArray picked = logProbs.gather(ids.get(":, 1:").expandDims(2), 2).squeeze(2);
        NDArray zero = picked.getManager().zeros(new Shape(picked.getShape().get(0), 1));
        return NDArrays.concat(new NDList(zero, picked), 1);
    }

    private static NDArray mean(NDArray x, NDArray mask) {
        return x.mul(mask).sum(new int[] {1}).div(mask.sum(new int[] {1}).maximum(1f));
    }

    private static NDArray min(NDArray x, NDArray mask) {
        return x.add(mask.sub(1f).neg().mul(LARGE)).min(new int[] {1});
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long b = inputShapes[0].get(0);
        return new Shape[] {new Shape(b, COUNT), new Shape(b, lm.getSpec().hiddenSize())};
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        lm.initialize(manager, dataType, new Shape(1, spec.sequenceLength()));
    }
}
