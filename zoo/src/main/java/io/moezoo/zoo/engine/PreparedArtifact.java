package io.moezoo.zoo.engine;

import io.moezoo.zoo.repository.ArtifactCode;
import java.nio.file.Path;
import java.util.Map;

/**
 * A zoo artifact selected by the criteria, downloaded and verified in the cache, as the zoo hands
 * it to a {@link ZooEngineProvider}.
 *
 * @param artifactId the artifact id, e.g. {@code "vit-moe-fashion-mnist"}
 * @param version the artifact's version (the newest matching the criteria's filters)
 * @param directory the artifact's verified local directory (weights, spec, tokenizer, card)
 * @param arguments the artifact's own arguments from its metadata, without the factory names
 *     (values only; the caller's {@code optArgument}s are in the criteria)
 * @param code the block and translator factories the zoo registered for this model
 */
public record PreparedArtifact(
        String artifactId,
        String version,
        Path directory,
        Map<String, Object> arguments,
        ArtifactCode code) {

    /**
     * Validates and copies the fields.
     *
     * @param artifactId the artifact id
     * @param version the version
     * @param directory the local directory
     * @param arguments the artifact's arguments
     * @param code the registered code
     */
    public PreparedArtifact {
        if (artifactId == null || version == null || directory == null || code == null) {
            throw new IllegalArgumentException(
                    "A prepared artifact needs an id, a version, a directory and its code");
        }
        arguments = arguments == null ? Map.of() : Map.copyOf(arguments);
    }
}
