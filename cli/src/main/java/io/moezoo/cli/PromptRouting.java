package io.moezoo.cli;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.moezoo.blocks.layer.BlockTree;
import io.moezoo.blocks.layer.MoeLayer;
import io.moezoo.plots.RoutingHeatmap;
import io.moezoo.translators.text.ContextWindow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The routing of a prompt through a causal MoE language model: runs the prompt once (prefill) and
 * draws a tokens x experts heatmap of one MoE layer's routing weights. The prompt is bounded by the
 * model's {@link ContextWindow} like generation is.
 */
final class PromptRouting {

    private PromptRouting() {}

    /**
     * Writes the heatmap.
     *
     * @param block the language model block (stateless KV protocol, ids in, logits first)
     * @param tokenizer its tokenizer
     * @param prompt the prompt
     * @param layer the MoE layer index (0 = first MoE layer)
     * @param file the PNG to write
     * @param truncate keep the prompt's last tokens if it is longer than the context (else refuse)
     * @throws IOException if the PNG cannot be written
     */
    static void plot(
            Block block,
            HuggingFaceTokenizer tokenizer,
            String prompt,
            int layer,
            Path file,
            boolean truncate)
            throws IOException {
        List<MoeLayer> layers = BlockTree.find(block, MoeLayer.class);
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("the model has no MoE layers to plot");
        }
        if (layer < 0 || layer >= layers.size()) {
            throw new IllegalArgumentException(
                    "--layer must be in 0.." + (layers.size() - 1) + ", got " + layer);
        }
        long[] ids = tokenizer.encode(prompt).getIds();
        if (ids.length == 0) {
            throw new IllegalArgumentException("the prompt encodes to no tokens");
        }
        int context = ContextWindow.of(block);
        if (ids.length > context) {
            if (!truncate) {
                throw new IllegalArgumentException(
                        "the prompt is "
                                + ids.length
                                + " tokens, more than the model's context of "
                                + context);
            }
            ids = Arrays.copyOfRange(ids, ids.length - context, ids.length);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            block.forward(
                    new ParameterStore(manager, false),
                    new NDList(manager.create(ids, new Shape(1, ids.length))),
                    false);
        }
        List<String> labels = new ArrayList<>();
        for (long id : ids) {
            labels.add(RoutingHeatmap.displayLabel(tokenizer.decode(new long[] {id})));
        }
        RoutingHeatmap.builder()
                .setWeights(layers.get(layer).getLastStatistics().tokenExpertWeights())
                .setTokenLabels(labels)
                .optTitle("MoE layer " + layer + ": routing weight of each prompt token")
                .build()
                .writePng(file);
    }
}
