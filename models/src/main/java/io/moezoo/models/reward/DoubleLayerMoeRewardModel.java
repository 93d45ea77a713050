package io.moezoo.models.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import io.moezoo.blocks.ParameterViews;
import io.moezoo.blocks.experts.ExpertInitializer;
import io.moezoo.blocks.experts.LoraExperts;
import io.moezoo.blocks.spec.LoraExpertSpec;
import io.moezoo.translators.reward.RewardOutputs;
import java.util.ArrayList;
import java.util.List;

/**
 * A DMoERM-style double-layer MoE reward model (Quan, ACL Findings 2024; quanshr/DMoERM-v1).
 *
 * <p><b>Outer layer, sparse:</b> a router \(p = \mathrm{softmax}(W_g \bar h_{prompt} + b_g)\) over
 * the G task categories reads the frozen encoder's mean-pooled prompt states; inference routes each
 * input to the single category \(g = \arg\max p\) (top-1 hard routing).
 *
 * <p><b>Inner layer, dense:</b> category g owns C LoRA experts, one per capability dimension.
 * Expert (g, c) is the encoder with LoRA on its last FFN (gate, up and down projections: \(W x +
 * \tfrac{\alpha}{r} B A x\), a {@link LoraExperts} bank of G·C experts over the frozen FFN); its
 * feature \(h_{g,c}\) is the final hidden state mean-pooled over the response. During phase 2 each
 * expert has its own value head \(v_{g,c}^\top h + b\) (reported as the per-objective scores). The
 * category's MLP aggregates all C experts: \(r = W_2\,\mathrm{PReLU}(W_1 [h_{g,1}; \dots; h_{g,C}]
 * + b_1) + b_2\), \(W_1 \in \mathbb{R}^{A \times CH}\).
 *
 * <p>Inputs {@code [ids [B, S], prompt_mask [B, S], response_mask [B, S]]}; outputs (named) {@code
 * score [B]}, {@code objective_scores [B, C]} (the value heads of the routed category's experts)
 * and {@code category_probabilities [B, G]}.
 */
public final class DoubleLayerMoeRewardModel extends AbstractBlock {

    private static final byte VERSION = 1;

    private final RewardModelSpec spec;
    private final int categories;
    private final int objectives;
    private final FrozenByteEncoder encoder;
    private final LoraExperts experts;
    private final Parameter routerWeight;
    private final Parameter routerBias;
    private final Parameter valueWeight;
    private final Parameter valueBias;
    private final Parameter aggregatorW1;
    private final Parameter aggregatorB1;
    private final Parameter aggregatorPrelu;
    private final Parameter aggregatorW2;
    private final Parameter aggregatorB2;

    /**
     * Creates the model.
     *
     * @param spec a {@value RewardModelSpec#DMOERM} spec
     * @throws IllegalArgumentException if the spec is of another architecture
     */
    public DoubleLayerMoeRewardModel(RewardModelSpec spec) {
        super(VERSION);
        if (!RewardModelSpec.DMOERM.equals(spec.architecture())) {
            throw new IllegalArgumentException("Not a DMoERM spec: " + spec.architecture());
        }
        this.spec = spec;
        categories = spec.categories().size();
        objectives = spec.objectives().size();
        int h = spec.encoder().hiddenSize();
        int a = spec.headHidden();
        encoder = addChildBlock("encoder", new FrozenByteEncoder(spec.encoder()));
        experts =
                addChildBlock(
                        "experts",
                        new LoraExperts(
                                new LoraExpertSpec(
                                        categories * objectives,
                                        h,
                                        spec.encoder().intermediateSize(),
                                        spec.loraRank(),
                                        spec.loraAlpha())));
        routerWeight = addParameter(weight("router_weight", new Shape(categories, h)));
        routerBias = addParameter(bias("router_bias", new Shape(categories)));
        valueWeight =
                addParameter(weight("value_head_weight", new Shape(categories * objectives, h)));
        valueBias = addParameter(bias("value_head_bias", new Shape(categories * objectives)));
        aggregatorW1 =
                addParameter(
                        stacked("aggregator_w1", new Shape(categories, a, (long) objectives * h)));
        aggregatorB1 = addParameter(bias("aggregator_b1", new Shape(categories, a)));
        aggregatorPrelu =
                addParameter(
                        Parameter.builder()
                                .setName("aggregator_prelu")
                                .setType(Parameter.Type.OTHER)
                                .optShape(new Shape(categories))
                                .optInitializer(new ConstantInitializer(0.25f))
                                .build());
        aggregatorW2 = addParameter(stacked("aggregator_w2", new Shape(categories, 1, a)));
        aggregatorB2 = addParameter(bias("aggregator_b2", new Shape(categories, 1)));
    }

    static Parameter weight(String name, Shape shape) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.WEIGHT)
                .optShape(shape)
                .build();
    }

    static Parameter bias(String name, Shape shape) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.BIAS)
                .optShape(shape)
                .build();
    }

    static Parameter stacked(String name, Shape shape) {
        return Parameter.builder()
                .setName(name)
                .setType(Parameter.Type.WEIGHT)
                .optShape(shape)
                .optInitializer(new ExpertInitializer())
                .build();
    }

    /**
     * Returns the spec.
     *
     * @return the spec
     */
    public RewardModelSpec getSpec() {
        return spec;
    }

    /**
     * Returns the frozen encoder.
     *
     * @return the encoder
     */
    public FrozenByteEncoder getEncoder() {
        return encoder;
    }

    /**
     * Returns the bank of G·C LoRA experts; expert {@code g * C + c} serves category g, dimension
     * c.
     *
     * @return the experts
     */
    public LoraExperts getExperts() {
        return experts;
    }

    /**
     * Returns the outer router's parameters.
     *
     * @return {@code [weight [G, H], bias [G]]}
     */
    public List<Parameter> routerParameters() {
        return List.of(routerWeight, routerBias);
    }

    /**
     * Returns the phase-2 parameters: the LoRA factors and value heads of all experts (train one
     * expert at a time with a fresh optimizer so the others stay untouched).
     *
     * @return the parameters
     */
    public List<Parameter> expertParameters() {
        List<Parameter> list = new ArrayList<>();
        for (Parameter p : experts.getDirectParameters().values()) {
            if (p.requiresGradient()) {
                list.add(p);
            }
        }
        list.add(valueWeight);
        list.add(valueBias);
        return list;
    }

    /**
     * Returns the phase-3 parameters: the aggregation MLPs.
     *
     * @return the parameters
     */
    public List<Parameter> aggregatorParameters() {
        return List.of(aggregatorW1, aggregatorB1, aggregatorPrelu, aggregatorW2, aggregatorB2);
    }

    /**
     * Computes the outer router's logits.
     *
     * @param ps the parameter store
     * @param promptEmbedding mean-pooled frozen prompt states {@code [N, H]}
     * @param training whether this is a training pass
     * @return {@code [N, G]}
     */
    public NDArray routerLogits(ParameterStore ps, NDArray promptEmbedding, boolean training) {
        return Linear.linear(
                        promptEmbedding,
                        ps.getValue(routerWeight, promptEmbedding.getDevice(), training),
                        ps.getValue(routerBias, promptEmbedding.getDevice(), training))
                .head();
    }

    /**
     * Computes the pooled features of {@code count} consecutive experts.
     *
     * @param ps the parameter store
     * @param residual the frozen residual stream before the last FFN {@code [N, R, H]}
     * @param mask the response mask {@code [N, R]}
     * @param firstExpert the first expert index
     * @param count the number of experts
     * @param training whether this is a training pass
     * @return {@code [count, N, H]}
     */
    public NDArray expertFeatures(
            ParameterStore ps,
            NDArray residual,
            NDArray mask,
            int firstExpert,
            int count,
            boolean training) {
        Shape shape = residual.getShape();
        long n = shape.get(0);
        long r = shape.get(1);
        long h = shape.get(2);
        NDArray flat = encoder.ffnInput(ps, residual).reshape(n * r, h);
        NDArray rows = count == 1 ? flat : flat.tile(new long[] {count, 1});
        int[] counts = new int[categories * objectives];
        for (int e = firstExpert; e < firstExpert + count; e++) {
            counts[e] = Math.toIntExact(n * r);
        }
        NDArray y = experts.forwardGrouped(ps, rows, counts, training).reshape(count, n, r, h);
        NDArray out = encoder.finish(ps, residual.expandDims(0), y).reshape(count * n, r, h);
        NDArray m = count == 1 ? mask : mask.tile(new long[] {count, 1});
        return MaskedMean.of(out, m).reshape(count, n, h);
    }

    /**
     * Computes the phase-2 value heads of consecutive experts.
     *
     * @param ps the parameter store
     * @param features {@code [count, N, H]} from {@link #expertFeatures}
     * @param firstExpert the first expert index
     * @param training whether this is a training pass
     * @return {@code [count, N]}
     */
    public NDArray valueHeads(
            ParameterStore ps, NDArray features, int firstExpert, boolean training) {
        long count = features.getShape().get(0);
        NDArray w =
                ps.getValue(valueWeight, features.getDevice(), training)
                        .get(new NDIndex("{}:{}", firstExpert, firstExpert + count));
        NDArray b =
                ps.getValue(valueBias, features.getDevice(), training)
                        .get(new NDIndex("{}:{}", firstExpert, firstExpert + count));
        w.attach(features.getManager());
        b.attach(features.getManager());
        return features.mul(w.expandDims(1)).sum(new int[] {2}).add(b.expandDims(1));
    }

    /**
     * Applies category g's aggregation MLP.
     *
     * @param ps the parameter store
     * @param features the category's expert features {@code [N, C, H]}
     * @param category g
     * @param training whether this is a training pass
     * @return the rewards {@code [N]}
     */
    public NDArray aggregate(ParameterStore ps, NDArray features, int category, boolean training) {
        long n = features.getShape().get(0);
        NDArray z = features.reshape(n, -1);
        NDArray w1 =
                ParameterViews.slice(
                        ps.getValue(aggregatorW1, z.getDevice(), training), category, z);
        NDArray b1 =
                ParameterViews.slice(
                        ps.getValue(aggregatorB1, z.getDevice(), training), category, z);
        NDArray alpha =
                ParameterViews.slice(
                        ps.getValue(aggregatorPrelu, z.getDevice(), training), category, z);
        NDArray w2 =
                ParameterViews.slice(
                        ps.getValue(aggregatorW2, z.getDevice(), training), category, z);
        NDArray b2 =
                ParameterViews.slice(
                        ps.getValue(aggregatorB2, z.getDevice(), training), category, z);
        NDArray hidden = Linear.linear(z, w1, b1).head();
        NDArray activated = Activation.relu(hidden).sub(Activation.relu(hidden.neg()).mul(alpha));
        return Linear.linear(activated, w2, b2).head().reshape(n);
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray ids = inputs.get(0);
        NDArray promptMask = inputs.get(1);
        NDArray responseMask = inputs.get(2);
        NDArray residual = encoder.beforeLastFfn(ps, ids);
        NDArray base =
                encoder.finish(ps, residual, encoder.baseFfn(ps, encoder.ffnInput(ps, residual)));
        NDArray probabilities =
                routerLogits(ps, MaskedMean.of(base, promptMask), training).softmax(1);
        long[] routed = probabilities.argMax(1).toLongArray();
        List<Long> order = new ArrayList<>();
        NDList scores = new NDList();
        NDList objectiveScores = new NDList();
        for (int g = 0; g < categories; g++) {
            List<Long> members = new ArrayList<>();
            for (int b = 0; b < routed.length; b++) {
                if (routed[b] == g) {
                    members.add((long) b);
                }
            }
            if (members.isEmpty()) {
                continue;
            }
            order.addAll(members);
            NDArray index =
                    ids.getManager().create(members.stream().mapToLong(Long::longValue).toArray());
            NDArray features =
                    expertFeatures(
                            ps,
                            residual.get(new NDIndex("{}", index)),
                            responseMask.get(new NDIndex("{}", index)),
                            g * objectives,
                            objectives,
                            training);
            objectiveScores.add(valueHeads(ps, features, g * objectives, training).transpose());
            scores.add(aggregate(ps, features.transpose(1, 0, 2), g, training));
        }
        NDArray inverse =
                ids.getManager()
                        .create(order.stream().mapToLong(Long::longValue).toArray())
                        .argSort();
        NDArray score = NDArrays.concat(scores, 0).get(new NDIndex("{}", inverse));
        NDArray perObjective = NDArrays.concat(objectiveScores, 0).get(new NDIndex("{}", inverse));
        return RewardOutputs.routed(score, perObjective, probabilities);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        long b = inputShapes[0].get(0);
        return new Shape[] {new Shape(b), new Shape(b, objectives), new Shape(b, categories)};
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        encoder.initialize(manager, dataType, new Shape(1, spec.sequenceLength()));
        experts.initialize(
                manager,
                dataType,
                new Shape(categories * objectives, -1, spec.encoder().hiddenSize()));
    }
}
