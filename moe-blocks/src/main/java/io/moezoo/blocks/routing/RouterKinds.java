package io.moezoo.blocks.routing;

import io.moezoo.blocks.spec.BlockKinds;
import io.moezoo.blocks.spec.CapacityTopKSpec;
import io.moezoo.blocks.spec.ExpertChoiceSpec;
import io.moezoo.blocks.spec.GroupLimitedSpec;
import io.moezoo.blocks.spec.NoisyTopKSpec;
import io.moezoo.blocks.spec.RouterSpec;
import io.moezoo.blocks.spec.SoftmaxTopKSpec;
import io.moezoo.blocks.spec.SpecRegistry;
import io.moezoo.blocks.spec.SwitchSpec;
import io.moezoo.blocks.spec.TopKSoftmaxSpec;
import io.moezoo.blocks.spec.TopPSpec;
import java.util.function.Function;

/**
 * The router kinds: each spec record with its JSON name, its defaults and the router block it
 * builds. A new router is a spec record, a {@link Router} subclass and one {@link #register} line
 * here.
 */
public final class RouterKinds {

    private static final BlockKinds<RouterSpec, Router> KINDS = new BlockKinds<>("router");
    private static final SpecRegistry<RouterSpec> REGISTRY = KINDS.registry();

    static {
        register(
                "softmax_top_k",
                SoftmaxTopKSpec.class,
                SoftmaxTopKSpec.DEFAULTS,
                SoftmaxTopKRouter::new);
        register(
                "top_k_softmax",
                TopKSoftmaxSpec.class,
                TopKSoftmaxSpec.DEFAULTS,
                TopKSoftmaxRouter::new);
        register("switch", SwitchSpec.class, SwitchSpec.DEFAULTS, SwitchRouter::new);
        register(
                "capacity_top_k",
                CapacityTopKSpec.class,
                CapacityTopKSpec.DEFAULTS,
                CapacityTopKRouter::new);
        register(
                "expert_choice",
                ExpertChoiceSpec.class,
                ExpertChoiceSpec.DEFAULTS,
                ExpertChoiceRouter::new);
        register("top_p", TopPSpec.class, TopPSpec.DEFAULTS, TopPRouter::new);
        register(
                "group_limited",
                GroupLimitedSpec.class,
                GroupLimitedSpec.DEFAULTS,
                GroupLimitedRouter::new);
        register("noisy_top_k", NoisyTopKSpec.class, NoisyTopKSpec.DEFAULTS, NoisyTopKRouter::new);
        for (String name : REGISTRY.names()) {
            REGISTRY.alias(name.toUpperCase(java.util.Locale.ROOT), name);
        }
        REGISTRY.legacyForm(LegacyRouterJson::migrate);
    }

    private RouterKinds() {}

    /**
     * Registers a router kind.
     *
     * @param name its JSON {@code "type"}
     * @param type its spec record
     * @param defaultsJson the defaults of its optional fields
     * @param factory builds the router from a spec
     * @param <S> the spec type
     */
    public static <S extends RouterSpec> void register(
            String name,
            Class<S> type,
            String defaultsJson,
            Function<? super S, ? extends Router> factory) {
        KINDS.register(name, type, defaultsJson, factory);
    }

    /**
     * Returns the registry the JSON codec reads router specs with.
     *
     * @return the router kinds
     */
    public static SpecRegistry<RouterSpec> registry() {
        return REGISTRY;
    }

    /**
     * Builds the router a spec describes.
     *
     * @param spec a registered router spec
     * @return a new, uninitialised router
     * @throws IllegalArgumentException if the spec's kind is not registered
     */
    public static Router create(RouterSpec spec) {
        return KINDS.create(spec);
    }
}
