package io.moezoo.blocks.layer;

import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;

/** Finds blocks of a type in a DJL block tree, depth first in child order. */
public final class BlockTree {

    private BlockTree() {}

    /**
     * Collects every block of a type under (and including) a root.
     *
     * @param root the root block
     * @param type the block class
     * @param <T> the block type
     * @return the blocks found, in depth-first order
     */
    public static <T extends Block> List<T> find(Block root, Class<T> type) {
        List<T> found = new ArrayList<>();
        collect(root, type, found);
        return found;
    }

    private static <T extends Block> void collect(Block block, Class<T> type, List<T> found) {
        if (type.isInstance(block)) {
            found.add(type.cast(block));
        }
        for (Block child : block.getChildren().values()) {
            collect(child, type, found);
        }
    }
}
