package io.moezoo.models.vision;

import java.util.regex.Pattern;

/**
 * The keys of a vision artifact's {@code model.safetensors}: the {@link VisionMoeTransformer}'s
 * parameter paths, except the dense MLP of an encoder block. Version 0.1.0 of the artifacts was
 * written when that MLP's two linear layers were children of the block itself ({@code
 * 02block0_04fc1_weight}, {@code 02block0_05fc2_bias}); today they sit inside its {@link
 * io.moezoo.blocks.residual.GeluFeedForward} child {@code mlp} ({@code
 * 02block0_04mlp_01fc1_weight}). Saving and loading both map to the published layout, so old and
 * new files are the same.
 */
public final class VisionParameterNames {

    private static final Pattern FC1 = Pattern.compile("^(\\d{2}block\\d+_)04mlp_01fc1_");
    private static final Pattern FC2 = Pattern.compile("^(\\d{2}block\\d+_)04mlp_02fc2_");

    private VisionParameterNames() {}

    /**
     * Returns the file key of a parameter.
     *
     * @param parameterPath the parameter's key in {@code VisionMoeTransformer.getParameters()}
     * @return its key in {@code model.safetensors}
     */
    public static String fileKey(String parameterPath) {
        String key = FC1.matcher(parameterPath).replaceFirst("$104fc1_");
        return FC2.matcher(key).replaceFirst("$105fc2_");
    }
}
