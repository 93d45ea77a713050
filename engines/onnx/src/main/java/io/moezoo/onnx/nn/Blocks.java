package io.moezoo.onnx.nn;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.moezoo.onnx.OnnxGraphException;
import io.moezoo.onnx.moe.ParameterData;

/** Finds children and parameters of DJL blocks by the names their classes give them. */
public final class Blocks {

    private Blocks() {}

    /**
     * Returns a child block by the name it was added under (DJL prefixes a two-digit index).
     *
     * @param block the parent
     * @param name the child's name, e.g. {@code "patch_embed"}
     * @return the child
     * @throws OnnxGraphException if there is no such child
     */
    public static Block child(Block block, String name) {
        for (Pair<String, Block> c : block.getChildren()) {
            String key = c.getKey();
            if (key.equals(name) || (key.length() > 2 && key.substring(2).equals(name))) {
                return c.getValue();
            }
        }
        throw new OnnxGraphException(
                block.getClass().getSimpleName() + " has no child block '" + name + "'");
    }

    /**
     * Returns a child block by name, or null.
     *
     * @param block the parent
     * @param name the child's name
     * @return the child or null
     */
    public static Block optChild(Block block, String name) {
        try {
            return child(block, name);
        } catch (OnnxGraphException e) {
            return null;
        }
    }

    /**
     * Returns a direct parameter's data.
     *
     * @param block the block
     * @param name the parameter name
     * @return its values
     * @throws OnnxGraphException if the block has no such parameter
     */
    public static ParameterData param(Block block, String name) {
        Parameter p = optParam(block, name);
        if (p == null) {
            throw new OnnxGraphException(
                    block.getClass().getSimpleName() + " has no parameter '" + name + "'");
        }
        return ParameterData.of(p);
    }

    /**
     * Returns a direct parameter, or null.
     *
     * @param block the block
     * @param name the parameter name
     * @return the parameter or null
     */
    public static Parameter optParam(Block block, String name) {
        for (Pair<String, Parameter> p : block.getDirectParameters()) {
            if (p.getKey().equals(name)) {
                return p.getValue();
            }
        }
        return null;
    }
}
