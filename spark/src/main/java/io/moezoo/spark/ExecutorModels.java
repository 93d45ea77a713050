package io.moezoo.spark;

import ai.djl.repository.zoo.ZooModel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models loaded in this JVM: one per {@link ZooModelSpec#cacheKey()}, loaded lazily by the
 * first task that needs it and shared by every later task and partition of the executor (a DJL
 * model is safe to share; each partition takes its own predictor). The models are closed when the
 * JVM exits.
 */
public final class ExecutorModels {

    private static final Map<String, ZooModel<?, ?>> MODELS = new ConcurrentHashMap<>();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(ExecutorModels::closeAll, "moezoo-spark-models"));
    }

    private ExecutorModels() {}

    /**
     * Returns this JVM's model for a spec, loading it on first use (concurrent tasks wait for the
     * one load).
     *
     * @param spec the model
     * @param <I> the input type
     * @param <O> the output type
     * @return the shared model; do not close it
     * @throws ModelLoadException if the model cannot be loaded
     */
    @SuppressWarnings("unchecked")
    public static <I, O> ZooModel<I, O> get(ZooModelSpec<I, O> spec) {
        return (ZooModel<I, O>) MODELS.computeIfAbsent(spec.cacheKey(), k -> spec.load());
    }

    /**
     * Returns how many models this JVM holds.
     *
     * @return the count
     */
    public static int loadedCount() {
        return MODELS.size();
    }

    /** Closes and forgets every model of this JVM (the next use loads it again). */
    public static void closeAll() {
        for (String key : MODELS.keySet()) {
            ZooModel<?, ?> model = MODELS.remove(key);
            if (model != null) {
                model.close();
            }
        }
    }
}
