package io.moezoo.zoo.engine;

import ai.djl.engine.Engine;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The engines the zoo loads its models on: PyTorch (its own path, and the default), and each engine
 * a {@link ZooEngineProvider} on the class path serves, found once with {@link ServiceLoader}.
 *
 * <p>The zoo also knows which of its modules provides which engine ({@value #ONNX_RUNTIME}: {@value
 * #ONNX_MODULE}) and declares those engines even when the module is absent, so that {@code
 * optEngine("OnnxRuntime")} reaches the zoo and fails with a {@link ZooEngineUnavailableException}
 * naming the artifact to add, rather than with DJL's generic "No model ... is found".
 */
public final class ZooEngines {

    /** The zoo's own engine, and the one used when the criteria name none. */
    public static final String PYTORCH = "PyTorch";

    /** DJL's ONNX Runtime engine name. */
    public static final String ONNX_RUNTIME = "OnnxRuntime";

    /** The zoo module that provides {@value #ONNX_RUNTIME}. */
    public static final String ONNX_MODULE = "io.moezoo:moe-zoo-onnx";

    /** For each engine the zoo has a module for: that module's Maven coordinates. */
    private static final Map<String, String> MODULES = Map.of(ONNX_RUNTIME, ONNX_MODULE);

    /** For each such engine: DJL's engine artifact. */
    private static final Map<String, String> DJL_ENGINES =
            Map.of(ONNX_RUNTIME, "ai.djl.onnxruntime:onnxruntime-engine");

    private static Map<String, ZooEngineProvider> providers;

    private ZooEngines() {}

    /**
     * Returns the providers on the class path, by engine name (read once).
     *
     * @return the providers, sorted by engine name
     * @throws IllegalStateException if two providers claim one engine, or one claims {@value
     *     #PYTORCH}
     */
    public static synchronized Map<String, ZooEngineProvider> providers() {
        if (providers == null) {
            Map<String, ZooEngineProvider> found = new TreeMap<>();
            for (ZooEngineProvider provider : ServiceLoader.load(ZooEngineProvider.class)) {
                String engine = provider.getEngineName();
                if (engine == null || engine.isEmpty() || PYTORCH.equals(engine)) {
                    throw new IllegalStateException(
                            provider.getClass().getName()
                                    + " claims engine '"
                                    + engine
                                    + "'; the zoo loads PyTorch itself");
                }
                ZooEngineProvider other = found.putIfAbsent(engine, provider);
                if (other != null && other.getClass() != provider.getClass()) {
                    throw new IllegalStateException(
                            "Two zoo engine providers for "
                                    + engine
                                    + ": "
                                    + other.getClass().getName()
                                    + " and "
                                    + provider.getClass().getName());
                }
            }
            providers = Collections.unmodifiableMap(found);
        }
        return providers;
    }

    /**
     * Returns the engines the zoo declares: those it has a module for and those a provider serves
     * (sorted), then {@value #PYTORCH} last, so that DJL, choosing for criteria that name no
     * engine, never prefers another engine to PyTorch unless it is DJL's default (the zoo's loader
     * then still uses PyTorch).
     *
     * @return the engine names, in that order
     */
    public static Set<String> supportedEngines() {
        Set<String> engines = new LinkedHashSet<>(new TreeSet<>(MODULES.keySet()));
        engines.addAll(providers().keySet());
        engines.remove(PYTORCH);
        engines.add(PYTORCH);
        return Collections.unmodifiableSet(engines);
    }

    /**
     * Returns the provider that loads a model on an engine, checking that DJL has the engine.
     *
     * @param engine the engine the criteria name
     * @param artifactId the artifact asked for, for the message
     * @return the provider
     * @throws ZooEngineUnavailableException if no provider serves the engine (naming the module to
     *     add) or DJL has no such engine (naming DJL's engine artifact, when known)
     */
    public static ZooEngineProvider provider(String engine, String artifactId) {
        ZooEngineProvider provider = providers().get(engine);
        if (provider == null) {
            String module = MODULES.get(engine);
            if (module == null) {
                throw new ZooEngineUnavailableException(
                        artifactId
                                + ": the MoE Zoo has no module that loads its models on engine '"
                                + engine
                                + "'; engines: "
                                + supportedEngines(),
                        engine,
                        null);
            }
            throw new ZooEngineUnavailableException(
                    artifactId
                            + ": the MoE Zoo loads its models on "
                            + engine
                            + " only with "
                            + module
                            + " on the class path; add that dependency (and "
                            + DJL_ENGINES.get(engine)
                            + " at run time)",
                    engine,
                    module);
        }
        if (!Engine.hasEngine(engine)) {
            String djlEngine = DJL_ENGINES.get(engine);
            throw new ZooEngineUnavailableException(
                    artifactId
                            + ": DJL's "
                            + engine
                            + " engine is not on the class path"
                            + (djlEngine == null ? "" : "; add " + djlEngine + " at run time"),
                    engine,
                    djlEngine);
        }
        return provider;
    }
}
