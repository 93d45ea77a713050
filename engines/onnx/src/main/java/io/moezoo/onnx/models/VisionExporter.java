package io.moezoo.onnx.models;

import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.util.Pair;
import io.moezoo.blocks.attention.BidirectionalSelfAttention;
import io.moezoo.models.vision.VisionEncoderBlock;
import io.moezoo.models.vision.VisionMoeSpec;
import io.moezoo.models.vision.VisionMoeTransformer;
import io.moezoo.onnx.OnnxGraphException;
import io.moezoo.onnx.graph.GraphBuilder;
import io.moezoo.onnx.graph.OnnxAttribute;
import io.moezoo.onnx.graph.OnnxDataType;
import io.moezoo.onnx.graph.OnnxModel;
import io.moezoo.onnx.graph.OnnxOps;
import io.moezoo.onnx.moe.DispatchMode;
import io.moezoo.onnx.moe.ParameterData;
import io.moezoo.onnx.nn.AttentionExport;
import io.moezoo.onnx.nn.Blocks;
import io.moezoo.onnx.nn.LayerExport;
import io.moezoo.onnx.nn.ResidualExport;
import java.util.ArrayList;
import java.util.List;

/**
 * Exports a {@link VisionMoeTransformer} (the zoo's ViT-MoE): input {@code images [batch, C, S, S]}
 * (normalised pixels, as the block takes them), output {@code logits [batch, classes]}. The
 * convolutional stem (conv 3×3, batch norm in inference mode, ReLU, 2×2 max pool per stage),
 * patchify, patch embedding, class token, position embeddings, the encoder blocks (attention and
 * MLP or MoE), the final norm, pooling and the head are all in the graph.
 */
public final class VisionExporter {

    private VisionExporter() {}

    /**
     * Exports the model.
     *
     * @param model the block (loaded or initialized)
     * @param dispatch how MoE layers run their experts
     * @return the ONNX model
     */
    public static OnnxModel export(VisionMoeTransformer model, DispatchMode dispatch) {
        VisionMoeSpec spec = model.getSpec();
        GraphBuilder g = new GraphBuilder("vision_moe");
        OnnxOps ops = new OnnxOps(g);
        int side = spec.imageSize();
        String images = g.input("images", OnnxDataType.FLOAT, "batch", spec.channels(), side, side);
        String x = images;
        int channels = spec.channels();
        if (!spec.stemChannels().isEmpty()) {
            x = stem(ops, Blocks.child(model, "stem"), spec, x);
            channels = spec.featureChannels();
        }
        int grid = spec.featureSide() / spec.patchSize();
        int p = spec.patchSize();
        // patchify: [B, C, g, p, g, p] -> [B, g, g, C, p, p] -> [B, g·g, C·p·p]
        String patches =
                ops.reshape(
                        ops.transpose(
                                ops.reshape(x, 0, channels, grid, p, grid, p), 0, 2, 4, 1, 3, 5),
                        0,
                        (long) grid * grid,
                        (long) channels * p * p);
        int hidden = spec.hiddenSize();
        String h =
                LayerExport.linear(ops, Blocks.child(model, "patch_embed"), patches, "patch_embed");
        if (spec.pooling() == VisionMoeSpec.Pooling.CLASS_TOKEN) {
            ParameterData cls = Blocks.param(model, "cls_token");
            String batch = ops.gather(ops.shape(h), g.ints(0), 0);
            String shape = ops.concat(0, List.of(batch, g.ints(1, hidden)));
            String tokens = g.op("Expand", List.of(ops.constant(cls.tensor("cls_token")), shape));
            h = ops.concat(1, List.of(tokens, h));
        }
        h = ops.add(h, ops.constant(Blocks.param(model, "pos_embed").tensor("pos_embed")));
        ResidualExport residual = new ResidualExport(ops, spec.layerNormEps(), dispatch);
        List<VisionEncoderBlock> blocks = model.getBlocks();
        for (int i = 0; i < blocks.size(); i++) {
            VisionEncoderBlock block = blocks.get(i);
            String name = "block" + i;
            BidirectionalSelfAttention attention = (BidirectionalSelfAttention) block.getMixer();
            h =
                    residual.block(
                            block,
                            h,
                            in ->
                                    AttentionExport.bidirectional(
                                            ops, attention, in, hidden, name + ".attn"),
                            name);
        }
        h = residual.norm(Blocks.child(model, "norm"), h, "norm");
        String pooled =
                switch (spec.pooling()) {
                    case CLASS_TOKEN -> ops.gather(h, ops.scalarInt(0), 1);
                    case FLATTEN -> ops.reshape(h, 0, spec.headInputs());
                    case MEAN ->
                            g.op(
                                    "ReduceMean",
                                    List.of(h),
                                    OnnxAttribute.ints("axes", 1),
                                    OnnxAttribute.of("keepdims", 0L));
                };
        String logits = LayerExport.linear(ops, Blocks.child(model, "head"), pooled, "head");
        g.output(logits, "logits", OnnxDataType.FLOAT, "batch", spec.numClasses());
        g.metadata("moezoo.family", "vision");
        g.metadata("moezoo.spec", spec.toJson());
        g.metadata("moezoo.dispatch", dispatch.name());
        return g.build();
    }

    private static String stem(OnnxOps ops, Block stem, VisionMoeSpec spec, String x) {
        List<Block> layers = new ArrayList<>();
        for (Pair<String, Block> c : stem.getChildren()) {
            layers.add(c.getValue());
        }
        int stages = spec.stemChannels().size();
        int pooled = stages - spec.stemUnpooled();
        if (layers.size() != 3 * stages + pooled) {
            throw new OnnxGraphException(
                    "Expected a stem of "
                            + stages
                            + " stages (conv, batch norm, ReLU, and max pool in the first "
                            + pooled
                            + "), got "
                            + layers.size()
                            + " blocks");
        }
        String y = x;
        int at = 0;
        for (int s = 0; s < stages; s++) {
            Block conv = layers.get(at);
            Block bn = layers.get(at + 1);
            at += s < pooled ? 4 : 3;
            if (!(conv instanceof Conv2d) || !(bn instanceof BatchNorm)) {
                throw new OnnxGraphException(
                        "Stem stage " + s + " is not conv + batch norm: " + conv + ", " + bn);
            }
            String name = "stem." + s;
            List<String> convInputs = new ArrayList<>();
            convInputs.add(y);
            convInputs.add(
                    ops.constant(Blocks.param(conv, "weight").tensor(name + ".conv.weight")));
            if (Blocks.optParam(conv, "bias") != null) {
                convInputs.add(
                        ops.constant(Blocks.param(conv, "bias").tensor(name + ".conv.bias")));
            }
            y =
                    ops.graph()
                            .op(
                                    "Conv",
                                    convInputs,
                                    OnnxAttribute.ints("kernel_shape", 3, 3),
                                    OnnxAttribute.ints("pads", 1, 1, 1, 1));
            y =
                    ops.graph()
                            .op(
                                    "BatchNormalization",
                                    List.of(
                                            y,
                                            ops.constant(
                                                    Blocks.param(bn, "gamma")
                                                            .tensor(name + ".bn.gamma")),
                                            ops.constant(
                                                    Blocks.param(bn, "beta")
                                                            .tensor(name + ".bn.beta")),
                                            ops.constant(
                                                    Blocks.param(bn, "runningMean")
                                                            .tensor(name + ".bn.running_mean")),
                                            ops.constant(
                                                    Blocks.param(bn, "runningVar")
                                                            .tensor(name + ".bn.running_var"))),
                                    OnnxAttribute.of("epsilon", 1e-5f));
            y = ops.unary("Relu", y);
            if (s < pooled) {
                y =
                        ops.graph()
                                .op(
                                        "MaxPool",
                                        List.of(y),
                                        OnnxAttribute.ints("kernel_shape", 2, 2),
                                        OnnxAttribute.ints("strides", 2, 2));
            }
        }
        return y;
    }
}
