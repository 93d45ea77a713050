package io.moezoo.hf;

import java.util.List;
import java.util.function.Predicate;

/**
 * How a checkpoint names the tensors of an MoE layer: the block that holds the router ({@code
 * gate.weight}) and the experts, and the names of each expert's projections.
 *
 * @param blocks candidate block names after {@code model.layers.<i>.}, tried in order by their
 *     router; the last one is also the default
 * @param gate the gate projection of expert {@code j}: {@code experts.<j>.<gate>.weight}
 * @param up the up projection
 * @param down the down projection
 * @param fused whether the experts are stored fused as JetMoE's {@code input_linear [E, 2I, H]} and
 *     {@code output_linear [E, H, I]} with the router at {@code router.layer.weight}
 */
public record ExpertNames(List<String> blocks, String gate, String up, String down, boolean fused) {

    /** transformers' common naming: {@code mlp.experts.<j>.gate_proj/up_proj/down_proj}. */
    public static final ExpertNames HUGGING_FACE =
            new ExpertNames(List.of("mlp."), "gate_proj", "up_proj", "down_proj", false);

    /**
     * Mixtral: {@code block_sparse_moe.experts.<j>.w1/w3/w2} (the v4 layout), or {@code mlp.} when
     * the checkpoint has {@code mlp.gate.weight}.
     */
    public static final ExpertNames MIXTRAL =
            new ExpertNames(List.of("mlp.", "block_sparse_moe."), "w1", "w3", "w2", false);

    /** JetMoE: fused experts {@code mlp.input_linear}, {@code mlp.output_linear}. */
    public static final ExpertNames JETMOE =
            new ExpertNames(List.of("mlp."), "input_linear", "input_linear", "output_linear", true);

    /**
     * GraniteMoE: JetMoE's fused experts and router under {@code block_sparse_moe.} ({@code
     * router.layer}, {@code input_linear [E, 2I, H]} gate rows first, {@code output_linear [E, H,
     * I]}).
     */
    public static final ExpertNames GRANITE =
            new ExpertNames(
                    List.of("block_sparse_moe."),
                    "input_linear",
                    "input_linear",
                    "output_linear",
                    true);

    /**
     * Validates the names.
     *
     * @param blocks candidate block names, at least one
     * @param gate the gate projection name
     * @param up the up projection name
     * @param down the down projection name
     * @param fused whether the experts are fused
     */
    public ExpertNames {
        if (blocks == null || blocks.isEmpty() || gate == null || up == null || down == null) {
            throw new IllegalArgumentException("Expert names need a block, gate, up and down name");
        }
        blocks = List.copyOf(blocks);
    }

    /**
     * The MoE block of one layer in a checkpoint: the first candidate whose router exists, else the
     * last candidate.
     *
     * @param layerPrefix {@code model.layers.<i>.}
     * @param contains whether the checkpoint holds a tensor key
     * @return the block prefix, ending with a dot
     */
    public String block(String layerPrefix, Predicate<String> contains) {
        for (String b : blocks) {
            if (contains.test(layerPrefix + b + "gate.weight")) {
                return layerPrefix + b;
            }
        }
        return layerPrefix + blocks.get(blocks.size() - 1);
    }
}
