package io.moezoo.models.language;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.moezoo.blocks.ParameterViews;
import io.moezoo.blocks.Projections;
import io.moezoo.blocks.attention.AttentionContext;
import io.moezoo.blocks.attention.KvCache;
import io.moezoo.blocks.attention.RmsNorm;
import io.moezoo.blocks.loss.AuxLossTerm;
import io.moezoo.blocks.loss.AuxiliaryLosses;
import io.moezoo.blocks.loss.LayerRouting;
import io.moezoo.blocks.loss.MoeLoss;
import io.moezoo.blocks.residual.RoutedOutput;
import io.moezoo.blocks.routing.RoutingDecision;
import io.moezoo.translators.text.ContextWindow;
import io.moezoo.translators.text.IncrementalDecoder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An MoE decoder-only language model (Mixtral, Qwen2/3-MoE, OLMoE families): token embedding, L
 * {@link DecoderLayer}s, a final RMSNorm and the LM head.
 *
 * <p>As a DJL block it is stateless: inputs {@code [ids, k_0, v_0, …, k_{L-1}, v_{L-1}]} (ids
 * {@code [B, S]} int64, the past keys and values optional) map to {@code [logits [B, S, V], k_0,
 * v_0, …]} with the keys and values now covering the past and the new positions. A predictor can
 * therefore prefill a prompt and then decode token by token by feeding the returned keys and values
 * back. {@link #logits} is the same computation with a {@link KvCache} object, and {@link
 * #startDecoding} (the {@link IncrementalDecoder} the generation translator uses) keeps such a
 * cache for a whole sequence, so that a decode step does not pass the cache in and out.
 *
 * <p>This block is the reference and training path (on PyTorch); fast inference of checkpoints runs
 * on the MoeJava engine ({@code engines/java}), which has its own forward.
 */
public final class MoeCausalLm extends AbstractBlock implements IncrementalDecoder, ContextWindow {

    private static final byte VERSION = 1;

    private final DecoderSpec spec;
    private final Parameter embedding;
    private final List<DecoderLayer> layers = new ArrayList<>();
    private final RmsNorm norm;
    private final Parameter lmHead;
    private final List<AuxLossTerm> auxLosses;

    /**
     * Creates the model for inference.
     *
     * @param spec the decoder spec
     */
    public MoeCausalLm(DecoderSpec spec) {
        this(spec, List.of());
    }

    /**
     * Creates the model with auxiliary losses for training: training passes return {@code [logits,
     * aux_loss]} (the weighted sum over all MoE layers, named {@value MoeLoss#AUX_LOSS}) instead of
     * the key/value protocol.
     *
     * @param spec the decoder spec
     * @param auxLosses the auxiliary losses and coefficients
     */
    public MoeCausalLm(DecoderSpec spec, List<AuxLossTerm> auxLosses) {
        super(VERSION);
        this.spec = spec;
        this.auxLosses = List.copyOf(auxLosses);
        embedding =
                addParameter(
                        Parameter.builder()
                                .setName("embed_tokens")
                                .setType(Parameter.Type.WEIGHT)
                                .optShape(new Shape(spec.vocabSize(), spec.hiddenSize()))
                                .build());
        for (int i = 0; i < spec.numLayers(); i++) {
            layers.add(addChildBlock("layer" + i, new DecoderLayer(spec, i)));
        }
        norm = addChildBlock("norm", new RmsNorm(spec.hiddenSize(), spec.rmsNormEps()));
        lmHead =
                spec.tieWordEmbeddings()
                        ? null
                        : addParameter(
                                Parameter.builder()
                                        .setName("lm_head")
                                        .setType(Parameter.Type.WEIGHT)
                                        .optShape(new Shape(spec.vocabSize(), spec.hiddenSize()))
                                        .build());
    }

    /**
     * Returns the spec.
     *
     * @return the decoder spec
     */
    public DecoderSpec getSpec() {
        return spec;
    }

    /**
     * Returns the positions the model handles: {@code max_position_embeddings} of a checkpoint, the
     * trained context of a zoo model. The text translators refuse (or, on request, truncate) a
     * prompt that would not fit together with the tokens to generate.
     *
     * @return {@link DecoderSpec#maxPositionEmbeddings()}
     */
    @Override
    public int contextLength() {
        return spec.maxPositionEmbeddings();
    }

    /**
     * Returns the embedding parameter {@code [V, H]}.
     *
     * @return the embedding
     */
    public Parameter getEmbedding() {
        return embedding;
    }

    /**
     * Returns the LM head parameter {@code [V, H]}, or null when tied to the embedding.
     *
     * @return the LM head
     */
    public Parameter getLmHead() {
        return lmHead;
    }

    /**
     * Returns the decoder layers.
     *
     * @return the layers
     */
    public List<DecoderLayer> getLayers() {
        return Collections.unmodifiableList(layers);
    }

    /**
     * Returns the final norm.
     *
     * @return the norm
     */
    public RmsNorm getNorm() {
        return norm;
    }

    /**
     * Computes logits for token ids, continuing a KV cache if one is given.
     *
     * @param ps the parameter store
     * @param ids token ids {@code [B, S]}
     * @param cache the KV cache, or null for a full pass
     * @param training whether this is a training pass
     * @param routings receives each MoE layer's routing, in order (may be null)
     * @return logits {@code [B, S, V]} in float32
     * @throws IllegalArgumentException if an id is outside the vocabulary
     */
    public NDArray logits(
            ParameterStore ps,
            NDArray ids,
            KvCache cache,
            boolean training,
            List<RoutingDecision> routings) {
        return project(ps, hiddenStates(ps, ids, cache, training, routings), training);
    }

    /**
     * Computes the final hidden states (after the final norm) for token ids, continuing a KV cache
     * if one is given: {@link #logits} is {@link #project} of these.
     *
     * @param ps the parameter store
     * @param ids token ids {@code [B, S]}
     * @param cache the KV cache, or null for a full pass
     * @param training whether this is a training pass
     * @param routings receives each MoE layer's routing, in order (may be null)
     * @return hidden states {@code [B, S, H]}
     * @throws IllegalArgumentException if an id is outside the vocabulary
     */
    public NDArray hiddenStates(
            ParameterStore ps,
            NDArray ids,
            KvCache cache,
            boolean training,
            List<RoutingDecision> routings) {
        long[] values = ids.toType(DataType.INT64, false).toLongArray();
        for (long id : values) {
            if (id < 0 || id >= spec.vocabSize()) {
                throw new IllegalArgumentException(
                        "Token id "
                                + id
                                + " is outside the vocabulary [0, "
                                + spec.vocabSize()
                                + ")");
            }
        }
        Shape shape = ids.getShape();
        List<RoutingDecision> sink = routings == null ? new ArrayList<>() : routings;
        NDArray table = ps.getValue(embedding, ids.getDevice(), training);
        NDArray rows = table.get(new NDIndex("{}", ids.toType(DataType.INT64, false).reshape(-1)));
        rows.attach(ids.getManager()); // the lookup result belongs to this pass, not the model
        NDArray h = rows.reshape(shape.get(0), shape.get(1), spec.hiddenSize());
        Multipliers m = spec.multipliers();
        if (m.embedding() != 1f) {
            h = h.mul(m.embedding());
        }
        for (int i = 0; i < layers.size(); i++) {
            RoutedOutput out =
                    layers.get(i).forwardRouted(ps, h, AttentionContext.cached(cache, i), training);
            h = out.output();
            if (out.isRouted()) {
                sink.add(out.routing());
            }
        }
        if (cache != null) {
            cache.advance(shape.get(1));
        }
        return norm.apply(ps, h, training);
    }

    /**
     * Projects final hidden states onto the vocabulary: \(\mathrm{logits} = h W^\top /
     * \mathrm{logitsScaling}\), W the LM head (or the tied embedding).
     *
     * @param ps the parameter store
     * @param hidden {@link #hiddenStates} output {@code [B, S, H]}
     * @param training whether this is a training pass
     * @return logits {@code [B, S, V]}
     */
    public NDArray project(ParameterStore ps, NDArray hidden, boolean training) {
        NDArray head =
                ps.getValue(lmHead == null ? embedding : lmHead, hidden.getDevice(), training);
        NDArray logits = Projections.linear(hidden, ParameterViews.as(head, hidden));
        float scaling = spec.multipliers().logitsScaling();
        return scaling == 1f ? logits : logits.div(scaling);
    }

    /**
     * Starts decoding with a {@link KvCache} that lives as long as the session, so each step runs
     * {@link #logits} on one token instead of passing the whole cache through {@code forward}.
     *
     * @param manager the manager the cache descends from
     * @param past the prefill's keys and values, {@code k_0, v_0, …} (copied)
     * @return the session
     */
    @Override
    public IncrementalDecoder.Session startDecoding(NDManager manager, NDList past) {
        return new CachedSession(new KvCache(manager, layers.size(), past));
    }

    /** A decoding session over one cache. */
    private final class CachedSession implements IncrementalDecoder.Session {

        private final KvCache cache;

        CachedSession(KvCache cache) {
            this.cache = cache;
        }

        @Override
        public NDArray next(ParameterStore ps, NDArray ids) {
            return logits(ps, ids, cache, false, null);
        }

        @Override
        public void close() {
            cache.close();
        }
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.head();
        if (training) {
            List<RoutingDecision> routings = new ArrayList<>();
            NDList out = new NDList(logits(ps, ids, null, true, routings));
            if (!auxLosses.isEmpty() && !routings.isEmpty()) {
                List<LayerRouting> stats = new ArrayList<>();
                for (RoutingDecision d : routings) {
                    stats.add(
                            LayerRouting.microBatch(
                                    d, Math.toIntExact(d.getLogits().getShape().get(1))));
                }
                out.add(AuxiliaryLosses.weightedSum(auxLosses, stats));
            }
            return out;
        }
        try (KvCache cache = new KvCache(ids.getManager(), layers.size(), inputs.subNDList(1))) {
            NDList out = new NDList(logits(ps, ids, cache, training, null));
            out.addAll(cache.export(ids.getManager()));
            return out;
        }
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].addAll(new Shape(spec.vocabSize()))};
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        for (DecoderLayer layer : layers) {
            layer.initialize(manager, dataType, new Shape(1, 1, spec.hiddenSize()));
        }
        norm.initialize(manager, dataType, new Shape(-1, spec.hiddenSize()));
    }
}
