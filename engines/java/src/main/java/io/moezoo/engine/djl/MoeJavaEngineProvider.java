package io.moezoo.engine.djl;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineProvider;

/** Registers the {@value MoeJavaEngine#ENGINE_NAME} engine with DJL (a lazy singleton). */
public final class MoeJavaEngineProvider implements EngineProvider {

    /** Creates the provider (by DJL's service loader). */
    public MoeJavaEngineProvider() {}

    /** {@inheritDoc} */
    @Override
    public String getEngineName() {
        return MoeJavaEngine.ENGINE_NAME;
    }

    /** {@inheritDoc} */
    @Override
    public int getEngineRank() {
        return MoeJavaEngine.RANK;
    }

    /** {@inheritDoc} */
    @Override
    public Engine getEngine() {
        return Holder.INSTANCE;
    }

    private static final class Holder {
        static final Engine INSTANCE = new MoeJavaEngine();
    }
}
