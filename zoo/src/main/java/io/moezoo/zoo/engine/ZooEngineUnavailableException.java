package io.moezoo.zoo.engine;

import ai.djl.engine.EngineException;

/**
 * A zoo model was asked for on an engine the zoo cannot load it on here: no {@link
 * ZooEngineProvider} for that engine is on the class path, or the DJL engine itself is missing. The
 * message names the engine and the Maven artifact to add ({@link #getMissingArtifact()}).
 *
 * <p>An unchecked {@link EngineException} rather than a {@code ModelNotFoundException}, so that
 * DJL's {@code Criteria.loadModel} reports it as it is instead of trying other models and ending
 * with "No model with the specified URI ... is found".
 */
public class ZooEngineUnavailableException extends EngineException {

    private static final long serialVersionUID = 1L;

    private final String engine;
    private final String missingArtifact;

    /**
     * Creates the exception.
     *
     * @param message what is missing and what to add
     * @param engine the requested engine
     * @param missingArtifact the Maven coordinates to add ({@code groupId:artifactId}), or null if
     *     the zoo knows no module for this engine
     */
    public ZooEngineUnavailableException(String message, String engine, String missingArtifact) {
        super(message);
        this.engine = engine;
        this.missingArtifact = missingArtifact;
    }

    /**
     * Returns the requested engine.
     *
     * @return the engine name
     */
    public String getEngine() {
        return engine;
    }

    /**
     * Returns the Maven artifact that would make the engine available.
     *
     * @return {@code groupId:artifactId}, or null if none is known
     */
    public String getMissingArtifact() {
        return missingArtifact;
    }
}
