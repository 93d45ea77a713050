package io.moezoo.blocks.spec;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The kinds of one spec family together with the block each builds: a {@link SpecRegistry} for the
 * JSON codec and a factory per spec record. {@code RouterKinds} and {@code ExpertKinds} hold one
 * each.
 *
 * @param <F> the family's spec interface
 * @param <B> the block type the family builds
 */
public final class BlockKinds<F, B> {

    private final SpecRegistry<F> registry;
    private final Map<Class<?>, Function<F, B>> factories = new ConcurrentHashMap<>();

    /**
     * Creates an empty family.
     *
     * @param family the family's name in messages, e.g. {@code router}
     */
    public BlockKinds(String family) {
        this.registry = new SpecRegistry<>(family);
    }

    /**
     * Registers a kind: its JSON name, its record, the defaults of its optional fields and the
     * block it builds.
     *
     * @param name its JSON {@code "type"}
     * @param type its spec record
     * @param defaultsJson the defaults of its optional fields, as a JSON object
     * @param factory builds the block from a spec
     * @param <S> the spec type
     * @return this family
     */
    public <S extends F> BlockKinds<F, B> register(
            String name,
            Class<S> type,
            String defaultsJson,
            Function<? super S, ? extends B> factory) {
        registry.register(name, type, defaultsJson);
        factories.put(type, spec -> factory.apply(type.cast(spec)));
        return this;
    }

    /**
     * Returns the registry the JSON codec reads this family with.
     *
     * @return the registry
     */
    public SpecRegistry<F> registry() {
        return registry;
    }

    /**
     * Builds the block a spec describes.
     *
     * @param spec a registered spec
     * @return a new, uninitialised block
     * @throws IllegalArgumentException if the spec's kind is not registered
     */
    public B create(F spec) {
        Function<F, B> factory = factories.get(spec.getClass());
        if (factory == null) {
            throw new IllegalArgumentException(
                    spec.getClass().getName()
                            + " is not a registered "
                            + registry.family()
                            + " kind");
        }
        return factory.apply(spec);
    }
}
