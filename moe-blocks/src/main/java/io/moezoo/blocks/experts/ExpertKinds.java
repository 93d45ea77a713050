package io.moezoo.blocks.experts;

import com.google.gson.JsonPrimitive;
import io.moezoo.blocks.spec.BlockKinds;
import io.moezoo.blocks.spec.ClampedSwiGluExpertSpec;
import io.moezoo.blocks.spec.ExpertSpec;
import io.moezoo.blocks.spec.LegacyJson;
import io.moezoo.blocks.spec.LinearExpertSpec;
import io.moezoo.blocks.spec.LoraExpertSpec;
import io.moezoo.blocks.spec.MlpExpertSpec;
import io.moezoo.blocks.spec.SpecRegistry;
import io.moezoo.blocks.spec.SwiGluExpertSpec;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The expert forms: each spec record with its JSON name, its defaults and the expert bank it
 * builds. A new form is a spec record, an {@link Experts} subclass and one {@link #register} line
 * here.
 */
public final class ExpertKinds {

    private static final BlockKinds<ExpertSpec, Experts> KINDS = new BlockKinds<>("experts");
    private static final SpecRegistry<ExpertSpec> REGISTRY = KINDS.registry();

    /** Version 0.1 wrote every option of every form; these were their defaults. */
    private static final Map<String, JsonPrimitive> OLD_DEFAULTS =
            Map.of(
                    "activation", new JsonPrimitive("GELU"),
                    "bias", new JsonPrimitive(true),
                    "loraRank", new JsonPrimitive(8),
                    "loraAlpha", new JsonPrimitive(16.0));

    static {
        register("swiglu", SwiGluExpertSpec.class, SwiGluExpertSpec.DEFAULTS, SwiGluExperts::new);
        register("mlp", MlpExpertSpec.class, MlpExpertSpec.DEFAULTS, MlpExperts::new);
        register("lora", LoraExpertSpec.class, LoraExpertSpec.DEFAULTS, LoraExperts::new);
        register("linear", LinearExpertSpec.class, LinearExpertSpec.DEFAULTS, LinearExperts::new);
        register(
                "clamped_swiglu",
                ClampedSwiGluExpertSpec.class,
                ClampedSwiGluExpertSpec.DEFAULTS,
                ClampedSwiGluExperts::new);
        for (String name : REGISTRY.names()) {
            REGISTRY.alias(name.toUpperCase(Locale.ROOT), name);
        }
        REGISTRY.legacyForm(
                old ->
                        LegacyJson.dropOldDefaults(
                                old,
                                REGISTRY.kind(old.get("type").getAsString()).type(),
                                OLD_DEFAULTS));
    }

    private ExpertKinds() {}

    /**
     * Registers an expert form.
     *
     * @param name its JSON {@code "type"}
     * @param type its spec record
     * @param defaultsJson the defaults of its optional fields
     * @param factory builds the bank from a spec
     * @param <S> the spec type
     */
    public static <S extends ExpertSpec> void register(
            String name,
            Class<S> type,
            String defaultsJson,
            Function<? super S, ? extends Experts> factory) {
        KINDS.register(name, type, defaultsJson, factory);
    }

    /**
     * Returns the registry the JSON codec reads expert specs with.
     *
     * @return the expert kinds
     */
    public static SpecRegistry<ExpertSpec> registry() {
        return REGISTRY;
    }

    /**
     * Builds the expert bank a spec describes.
     *
     * @param spec a registered expert spec
     * @return a new, uninitialised bank
     * @throws IllegalArgumentException if the spec's kind is not registered
     */
    public static Experts create(ExpertSpec spec) {
        return KINDS.create(spec);
    }
}
