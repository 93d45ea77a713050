package io.moezoo.spark;

import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.moezoo.zoo.MoeModelZoo;
import io.moezoo.zoo.ZooCatalog;
import java.io.Serializable;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What an executor needs to load a zoo model: the model id, the predictor's input and output types
 * and the translator arguments, all serialisable, so Spark ships it to the executors in the task
 * closure and each executor JVM loads the model itself ({@link ExecutorModels}).
 *
 * @param <I> the predictor's input type
 * @param <O> the predictor's output type
 */
public final class ZooModelSpec<I, O> implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String artifactId;
    private final Class<I> input;
    private final Class<O> output;
    private final TreeMap<String, String> arguments;

    /**
     * Creates a spec.
     *
     * @param artifactId the zoo model id, e.g. {@code vit-moe-fashion-mnist}
     * @param input the input type
     * @param output the output type
     * @param arguments the translator arguments ({@code Criteria.optArgument}), as text
     * @throws IllegalArgumentException if the id is blank or names no zoo model (checked on the
     *     driver, before any task runs; the message lists the zoo's models)
     */
    public ZooModelSpec(
            String artifactId, Class<I> input, Class<O> output, Map<String, String> arguments) {
        if (artifactId == null || artifactId.isBlank()) {
            throw new IllegalArgumentException(
                    "A zoo model id is required, got '" + artifactId + "'");
        }
        ZooCatalog.entry(artifactId);
        this.artifactId = artifactId;
        this.input = Objects.requireNonNull(input, "input");
        this.output = Objects.requireNonNull(output, "output");
        this.arguments = new TreeMap<>(arguments);
    }

    /**
     * Returns the zoo model id.
     *
     * @return the id
     */
    public String artifactId() {
        return artifactId;
    }

    /**
     * Returns the translator arguments.
     *
     * @return an unmodifiable sorted view
     */
    public Map<String, String> arguments() {
        return Collections.unmodifiableMap(arguments);
    }

    /**
     * Returns the key under which an executor caches the loaded model: two specs with equal keys
     * share one model.
     *
     * @return id, types and arguments
     */
    public String cacheKey() {
        return artifactId + "|" + input.getName() + "|" + output.getName() + "|" + arguments;
    }

    /**
     * Returns the DJL criteria of this model (the zoo is found by group id through DJL's {@code
     * ServiceLoader}; the repository is the embedded one unless {@code moezoo.repository.url} names
     * another).
     *
     * @return the criteria
     */
    public Criteria<I, O> criteria() {
        Criteria.Builder<I, O> builder =
                Criteria.builder()
                        .setTypes(input, output)
                        .optGroupId(MoeModelZoo.GROUP_ID)
                        .optArtifactId(artifactId);
        arguments.forEach(builder::optArgument);
        return builder.build();
    }

    /**
     * Loads the model in this JVM (what {@link ExecutorModels} calls once per executor).
     *
     * @return the model; the caller closes it
     * @throws ModelLoadException naming the model if it cannot be loaded
     */
    public ZooModel<I, O> load() {
        try {
            return criteria().loadModel();
        } catch (Exception e) {
            throw new ModelLoadException(
                    "Cannot load zoo model '" + artifactId + "' with " + arguments + ": " + e, e);
        }
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return cacheKey();
    }
}
