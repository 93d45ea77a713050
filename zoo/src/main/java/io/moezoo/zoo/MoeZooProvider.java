package io.moezoo.zoo;

import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooProvider;

/** Registers the {@link MoeModelZoo} with DJL through {@code ServiceLoader}. */
public final class MoeZooProvider implements ZooProvider {

    /** {@inheritDoc} */
    @Override
    public ModelZoo getModelZoo() {
        return new MoeModelZoo();
    }
}
