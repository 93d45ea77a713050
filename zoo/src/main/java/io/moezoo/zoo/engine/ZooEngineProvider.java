package io.moezoo.zoo.engine;

import ai.djl.MalformedModelException;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import java.io.IOException;

/**
 * Loads the zoo's models on one DJL engine other than PyTorch (the zoo's own path), found with
 * {@link java.util.ServiceLoader} and keyed by {@link #getEngineName()}. A module that implements
 * it (such as {@code io.moezoo:moe-zoo-onnx} for {@code OnnxRuntime}) lists its class in {@code
 * META-INF/services/io.moezoo.zoo.engine.ZooEngineProvider}; {@code Criteria.optEngine(name)} with
 * the zoo's group id then reaches {@link #loadModel}.
 *
 * <p>The zoo selects, downloads and verifies the artifact first, exactly as for PyTorch, and hands
 * over the {@link PreparedArtifact}: the artifact's directory, its arguments and the code the zoo
 * registered for it. The provider chooses no code from repository data either. Its constructor must
 * be trivial (no DJL engine lookups): providers are created while DJL initialises its zoos.
 */
public interface ZooEngineProvider {

    /**
     * Returns the DJL engine name this provider loads models on, as {@code optEngine} spells it.
     *
     * @return the engine name, e.g. {@code "OnnxRuntime"}
     */
    String getEngineName();

    /**
     * Loads a prepared zoo artifact on this provider's engine.
     *
     * @param artifact the artifact the zoo selected and verified, with its code
     * @param criteria the caller's criteria (types, arguments, options, device, translator factory)
     * @param <I> the input type
     * @param <O> the output type
     * @return the model, with the zoo's translator unless the criteria bring their own factory
     * @throws IOException if the artifact cannot be read or converted
     * @throws ModelNotFoundException if the model cannot serve the criteria
     * @throws MalformedModelException if the artifact is malformed
     */
    <I, O> ZooModel<I, O> loadModel(PreparedArtifact artifact, Criteria<I, O> criteria)
            throws IOException, ModelNotFoundException, MalformedModelException;
}
