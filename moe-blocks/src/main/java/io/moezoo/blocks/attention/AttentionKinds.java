package io.moezoo.blocks.attention;

import io.moezoo.blocks.spec.SpecRegistry;

/**
 * The attention kinds a decoder layer can have, by their JSON {@code "type"}: each is a spec record
 * that builds its block ({@link AttentionLayerSpec#create()}). A new kind is a spec record, an
 * {@link AttentionBlock} and one registration line here.
 */
public final class AttentionKinds {

    private static final SpecRegistry<AttentionLayerSpec> REGISTRY =
            new SpecRegistry<AttentionLayerSpec>("attention")
                    .register(
                            "gqa",
                            AttentionSpec.class,
                            "{\"qkvBias\":false,\"qkNorm\":\"NONE\",\"ropeTheta\":10000.0,"
                                    + "\"ropeLinearFactor\":1.0,\"slidingWindow\":0,\"softmaxScale\":0.0,"
                                    + "\"rotaryDim\":0,\"oBias\":false,\"sinks\":false,\"yarn\":null}")
                    .register("mla", MlaSpec.class, "{}")
                    .register("moa", MoaSpec.class, "{\"ropeTheta\":10000.0}");

    private AttentionKinds() {}

    /**
     * Returns the registry the JSON codec reads attention specs with.
     *
     * @return the attention kinds
     */
    public static SpecRegistry<AttentionLayerSpec> registry() {
        return REGISTRY;
    }
}
