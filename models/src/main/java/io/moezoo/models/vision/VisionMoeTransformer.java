package io.moezoo.models.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.moezoo.blocks.ParameterViews;
import io.moezoo.blocks.attention.AttentionContext;
import io.moezoo.blocks.loss.AuxLossTerm;
import io.moezoo.blocks.loss.AuxiliaryLosses;
import io.moezoo.blocks.loss.ImportanceLoss;
import io.moezoo.blocks.loss.LayerRouting;
import io.moezoo.blocks.loss.LoadLoss;
import io.moezoo.blocks.loss.MoeLoss;
import io.moezoo.blocks.residual.RoutedOutput;
import io.moezoo.blocks.routing.RoutingDecision;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A Vision Transformer with V-MoE MLP blocks, built from a {@link VisionMoeSpec}.
 *
 * <p>Input: normalised images {@code [B, C, S, S]} float32. Inference passes return {@code [logits
 * [B, classes]]}; training passes return {@code [logits, aux_loss]} where {@code aux_loss} (named
 * {@value MoeLoss#AUX_LOSS}) is the weighted V-MoE importance and load losses of all MoE blocks,
 * for a {@link MoeLoss}. A dense model (no MoE blocks) returns only the logits.
 *
 * <p>A hybrid model (non-empty {@link VisionMoeSpec#stemChannels()}) first runs its {@link
 * ConvStem} (child {@code stem}) and cuts the patches from the resulting feature map.
 *
 * <p>Patches are cut without overlap and flattened in {@code (channel, row, column)} order, the
 * order of a {@code p×p} stride-p convolution kernel {@code [D, C, p, p]}, then projected by {@code
 * patch_embed}. Learned position embeddings {@code [1, T, D]} start from N(0, 0.02²).
 *
 * <p><b>Routing for heatmaps:</b> {@link #getLastRouting()} returns, per MoE block, which expert
 * every patch of every image went to in the latest forward pass ({@link PatchRouting}). The field
 * is replaced as a whole at the end of each pass; with several threads predicting at once it holds
 * the pass that finished last, so use one predictor (and one batch) to capture a given image's
 * routing.
 */
public final class VisionMoeTransformer extends AbstractBlock {

    private static final byte VERSION = 1;

    private final VisionMoeSpec spec;
    private final Linear patchEmbed;
    private final Parameter classToken;
    private final Parameter positions;
    private final List<VisionEncoderBlock> blocks = new ArrayList<>();
    private final LayerNorm norm;
    private final Linear head;
    private final SequentialBlock stem;
    private final List<AuxLossTerm> auxLosses = new ArrayList<>();
    private volatile List<PatchRouting> lastRouting = List.of();

    /**
     * Creates the (uninitialised) model a spec describes.
     *
     * @param spec the spec
     */
    public VisionMoeTransformer(VisionMoeSpec spec) {
        super(VERSION);
        this.spec = spec;
        patchEmbed =
                addChildBlock("patch_embed", Linear.builder().setUnits(spec.hiddenSize()).build());
        classToken =
                spec.pooling() == VisionMoeSpec.Pooling.CLASS_TOKEN
                        ? addParameter(
                                Parameter.builder()
                                        .setName("cls_token")
                                        .setType(Parameter.Type.BIAS)
                                        .optShape(new Shape(1, 1, spec.hiddenSize()))
                                        .build())
                        : null;
        positions =
                addParameter(
                        Parameter.builder()
                                .setName("pos_embed")
                                .setType(Parameter.Type.WEIGHT)
                                .optInitializer(new NormalInitializer(0.02f))
                                .optShape(new Shape(1, spec.sequenceLength(), spec.hiddenSize()))
                                .build());
        for (int i = 0; i < spec.numLayers(); i++) {
            blocks.add(addChildBlock("block" + i, new VisionEncoderBlock(spec, i)));
        }
        norm =
                addChildBlock(
                        "norm",
                        LayerNorm.builder().axis(1).optEpsilon(spec.layerNormEps()).build());
        head = addChildBlock("head", Linear.builder().setUnits(spec.numClasses()).build());
        // Added last so that plain models keep the child indices (and file keys) they always had.
        stem =
                spec.stemChannels().isEmpty()
                        ? null
                        : addChildBlock(
                                "stem", ConvStem.build(spec.stemChannels(), spec.stemUnpooled()));
        if (!spec.moeLayers().isEmpty()) {
            if (spec.importanceLossWeight() > 0) {
                auxLosses.add(new AuxLossTerm(new ImportanceLoss(), spec.importanceLossWeight()));
            }
            if (spec.loadLossWeight() > 0) {
                auxLosses.add(new AuxLossTerm(new LoadLoss(), spec.loadLossWeight()));
            }
        }
    }

    /**
     * Returns the spec.
     *
     * @return the model spec
     */
    public VisionMoeSpec getSpec() {
        return spec;
    }

    /**
     * Returns the encoder blocks.
     *
     * @return the blocks in order
     */
    public List<VisionEncoderBlock> getBlocks() {
        return Collections.unmodifiableList(blocks);
    }

    /**
     * Returns the routing of every MoE block in the latest forward pass (empty before the first
     * pass, and always for a dense model).
     *
     * @return one entry per MoE block, in block order
     */
    public List<PatchRouting> getLastRouting() {
        return lastRouting;
    }

    /**
     * Cuts images into flattened patches: {@code [B, C, S, S] -> [B, (S/p)², C·p²]}, row-major over
     * the patch grid, each patch flattened in (channel, row, column) order.
     *
     * @param images the images
     * @param patchSize p
     * @return the patches
     */
    public static NDArray patchify(NDArray images, int patchSize) {
        Shape s = images.getShape();
        long b = s.get(0);
        long c = s.get(1);
        long gh = s.get(2) / patchSize;
        long gw = s.get(3) / patchSize;
        return images.reshape(b, c, gh, patchSize, gw, patchSize)
                .transpose(0, 2, 4, 1, 3, 5)
                .reshape(b, gh * gw, c * patchSize * patchSize);
    }

    /**
     * Runs the encoder and returns the logits, recording each MoE block's output and routing.
     *
     * @param ps the parameter store
     * @param images {@code [B, C, S, S]}
     * @param training whether this is a training pass
     * @param routings receives each MoE block's routing, in order
     * @return logits {@code [B, classes]}
     * @throws IllegalArgumentException if the images do not have the spec's shape
     */
    public NDArray logits(
            ParameterStore ps, NDArray images, boolean training, List<RoutingDecision> routings) {
        Shape s = images.getShape();
        int size = spec.imageSize();
        if (s.dimension() != 4
                || s.get(1) != spec.channels()
                || s.get(2) != size
                || s.get(3) != size
                || s.get(0) == 0) {
            throw new IllegalArgumentException(
                    "Vision model expects images [B, "
                            + spec.channels()
                            + ", "
                            + size
                            + ", "
                            + size
                            + "] with B > 0, got "
                            + s);
        }
        NDArray x = images.toType(DataType.FLOAT32, false);
        if (stem != null) {
            x = stem.forward(ps, new NDList(x), training).head();
        }
        long batch = s.get(0);
        NDArray h =
                patchEmbed.forward(ps, new NDList(patchify(x, spec.patchSize())), training).head();
        if (classToken != null) {
            NDArray cls = ParameterViews.as(ps.getValue(classToken, h.getDevice(), training), h);
            h = NDArrays.concat(new NDList(cls.repeat(0, batch), h), 1);
        }
        h = h.add(ParameterViews.as(ps.getValue(positions, h.getDevice(), training), h));
        for (VisionEncoderBlock block : blocks) {
            RoutedOutput out = block.forwardRouted(ps, h, AttentionContext.none(), training);
            h = out.output();
            if (out.isRouted()) {
                routings.add(out.routing());
            }
        }
        h = norm.forward(ps, new NDList(h), training).head();
        NDArray pooled;
        if (classToken != null) {
            pooled = h.get(":, 0, :");
        } else if (spec.pooling() == VisionMoeSpec.Pooling.FLATTEN) {
            pooled = h.reshape(batch, spec.headInputs());
        } else {
            pooled = h.mean(new int[] {1});
        }
        return head.forward(ps, new NDList(pooled), training).head();
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        List<RoutingDecision> routings = new ArrayList<>();
        NDArray images = inputs.head();
        NDList out = new NDList(logits(ps, images, training, routings));
        lastRouting = hostCopies(routings, Math.toIntExact(images.getShape().get(0)));
        if (training && !auxLosses.isEmpty()) {
            List<LayerRouting> stats = new ArrayList<>();
            for (RoutingDecision d : routings) {
                stats.add(LayerRouting.microBatch(d, spec.router().numChoices()));
            }
            out.add(AuxiliaryLosses.weightedSum(auxLosses, stats));
        }
        return out;
    }

    private List<PatchRouting> hostCopies(List<RoutingDecision> routings, int images) {
        List<PatchRouting> copies = new ArrayList<>();
        int r = 0;
        for (int i = 0; i < blocks.size(); i++) {
            if (blocks.get(i).getMoe() == null) {
                continue;
            }
            RoutingDecision d = routings.get(r++);
            copies.add(
                    new PatchRouting(
                            i,
                            images,
                            spec.sequenceLength(),
                            spec.gridSize(),
                            d.getNumSlots(),
                            d.getExperts(),
                            d.getChoices(),
                            d.getCapacity()));
        }
        return List.copyOf(copies);
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), spec.numClasses())};
    }

    /** {@inheritDoc} */
    @Override
    protected void initializeChildBlocks(
            NDManager manager, DataType dataType, Shape... inputShapes) {
        if (stem != null) {
            stem.initialize(
                    manager,
                    dataType,
                    new Shape(1, spec.channels(), spec.imageSize(), spec.imageSize()));
        }
        patchEmbed.initialize(manager, dataType, new Shape(-1, spec.patchDim()));
        for (VisionEncoderBlock block : blocks) {
            block.initialize(
                    manager, dataType, new Shape(-1, spec.sequenceLength(), spec.hiddenSize()));
        }
        norm.initialize(manager, dataType, new Shape(-1, spec.hiddenSize()));
        head.initialize(manager, dataType, new Shape(-1, spec.headInputs()));
    }
}
