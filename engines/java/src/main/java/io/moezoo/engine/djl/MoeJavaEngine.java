package io.moezoo.engine.djl;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.moezoo.engine.kernel.MatrixOps;
import io.moezoo.engine.tensor.Codecs;

/**
 * MoE Zoo's inference engine: Hugging Face MoE checkpoints run with their weights memory-mapped in
 * the stored format by Java kernels ({@link io.moezoo.engine.model.CausalLm}). Select it with
 * {@code Criteria.builder().optEngine("MoeJava")}.
 *
 * <p>Its rank ({@value #RANK}) keeps PyTorch the default engine of a JVM that has both. The
 * alternative engine, which runs the NDArray operations translators apply to the engine's outputs,
 * is PyTorch when present ({@code -Dai.djl.moejava.disable_alternative=true} turns it off).
 */
public final class MoeJavaEngine extends Engine {

    /** The engine's name. */
    public static final String ENGINE_NAME = "MoeJava";

    /** The rank: after PyTorch (2), like the other add-on engines. */
    static final int RANK = 10;

    private Engine alternative;
    private boolean alternativeResolved;

    MoeJavaEngine() {}

    /** {@inheritDoc} */
    @Override
    public synchronized Engine getAlternativeEngine() {
        if (!alternativeResolved) {
            alternativeResolved = true;
            if (!Boolean.getBoolean("ai.djl.moejava.disable_alternative")
                    && Engine.hasEngine("PyTorch")) {
                alternative = Engine.getEngine("PyTorch");
            }
        }
        return alternative;
    }

    /** {@inheritDoc} */
    @Override
    public String getEngineName() {
        return ENGINE_NAME;
    }

    /** {@inheritDoc} */
    @Override
    public int getRank() {
        return RANK;
    }

    /** {@inheritDoc} */
    @Override
    public String getVersion() {
        return "0.1.0";
    }

    /** {@inheritDoc} */
    @Override
    public boolean hasCapability(String capability) {
        return false;
    }

    /** {@inheritDoc} */
    @Override
    public Model newModel(String name, Device device) {
        return new MoeJavaModel(name, newBaseManager(device));
    }

    /** {@inheritDoc} */
    @Override
    public NDManager newBaseManager() {
        return newBaseManager(null);
    }

    /** {@inheritDoc} */
    @Override
    public NDManager newBaseManager(Device device) {
        return MoeJavaNDManager.getSystemManager().newSubManager(device);
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return ENGINE_NAME
                + ":"
                + getVersion()
                + " ("
                + MatrixOps.threads()
                + " threads, "
                + (Codecs.vectorized() ? "Vector API" : "scalar")
                + " kernels)";
    }
}
