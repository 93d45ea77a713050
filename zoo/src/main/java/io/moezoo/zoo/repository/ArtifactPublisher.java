package io.moezoo.zoo.repository;

import ai.djl.Application;
import ai.djl.repository.Artifact;
import ai.djl.repository.License;
import ai.djl.repository.Metadata;
import ai.djl.util.JsonUtils;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes the DJL {@code metadata.json} of an artifact directory in a repository tree, as DJL's own
 * {@link Metadata} and {@link Artifact}: every file of {@code <metadata dir>/<version>/} with its
 * sha1 and size, and the {@code arguments}, {@code options} and filter {@code properties} taken
 * from the artifact's {@code card.json}.
 *
 * <p>{@code card.json} fields used: {@code name}, {@code description}, {@code arguments} (must name
 * {@code blockFactory} and {@code translatorFactory}), optional {@code options} and {@code
 * properties}. A card without a name or description keeps those of the {@code metadata.json} it
 * replaces (the zoo's catalog shows them).
 */
public final class ArtifactPublisher {

    /** Largest artifact the embedded repository accepts, in bytes. */
    public static final long MAX_ARTIFACT_BYTES = 16L << 20;

    /** The parts of a card used here. */
    private static final class Card {
        String name;
        String description;
        Map<String, Object> arguments;
        Map<String, String> options;
        Map<String, String> properties;
    }

    private ArtifactPublisher() {}

    /**
     * Writes {@code metadata.json} for one artifact version.
     *
     * @param repositoryRoot the repository root directory
     * @param application the application
     * @param groupId the group id
     * @param artifactId the artifact id
     * @param version the artifact version directory name
     * @return the metadata file
     * @throws IOException if files cannot be read, card.json is invalid, or the artifact is over
     *     {@link #MAX_ARTIFACT_BYTES}
     */
    public static Path publish(
            Path repositoryRoot,
            Application application,
            String groupId,
            String artifactId,
            String version)
            throws IOException {
        Path metadataDir =
                repositoryRoot.resolve(
                        ZooRepository.metadataDirectory(application, groupId, artifactId));
        Path versionDir = metadataDir.resolve(version);
        Card card = readCard(versionDir.resolve("card.json"));

        Map<String, Artifact.Item> files = new LinkedHashMap<>();
        long total = 0;
        List<Path> listed;
        try (Stream<Path> s = Files.list(versionDir)) {
            listed = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : listed) {
            String name = file.getFileName().toString();
            if (!name.startsWith(".")) {
                Artifact.Item item = new Artifact.Item();
                item.setUri(name);
                item.setName(name);
                item.setSha1Hash(Download.sha1(file));
                item.setSize(Files.size(file));
                item.setType("file");
                files.put(name.replace('.', '_'), item);
                total += item.getSize();
            }
        }
        if (total > MAX_ARTIFACT_BYTES) {
            throw new IOException(
                    artifactId
                            + " is "
                            + total
                            + " bytes, over the "
                            + MAX_ARTIFACT_BYTES
                            + " cap");
        }
        Artifact artifact = new Artifact();
        artifact.setVersion(version);
        artifact.setName(artifactId);
        artifact.setProperties(new TreeMap<>(orEmpty(card.properties)));
        artifact.setArguments(card.arguments);
        Map<String, String> options = new TreeMap<>(orEmpty(card.options));
        options.putIfAbsent("hasParameter", "false");
        artifact.setOptions(options);
        artifact.setFiles(files);

        Metadata metadata = new Metadata();
        metadata.setMetadataVersion("0.2");
        metadata.setResourceType("model");
        metadata.setApplication(application);
        metadata.setGroupId(groupId);
        metadata.setArtifactId(artifactId);
        Metadata previous = readPrevious(metadataDir.resolve("metadata.json"));
        metadata.setName(
                card.name != null
                        ? card.name
                        : previous != null && previous.getName() != null
                                ? previous.getName()
                                : artifactId);
        metadata.setDescription(
                card.description != null
                        ? card.description
                        : previous != null && previous.getDescription() != null
                                ? previous.getDescription()
                                : "");
        metadata.setWebsite("https://github.com/moezoo/moe-zoo");
        metadata.addLicense(License.apache());
        metadata.setArtifacts(List.of(artifact));

        String json = JsonUtils.builder(true).disableHtmlEscaping().create().toJson(metadata);
        Path out = metadataDir.resolve("metadata.json");
        Path tmp = metadataDir.resolve(".metadata.json.tmp");
        Files.writeString(tmp, json + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return out;
    }

    private static Card readCard(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + " not found: every artifact needs a card");
        }
        Card card;
        try {
            card =
                    JsonUtils.GSON.fromJson(
                            Files.readString(file, StandardCharsets.UTF_8), Card.class);
        } catch (JsonParseException e) {
            throw new IOException(file + ": invalid JSON (" + e.getMessage() + ")", e);
        }
        if (card == null
                || card.arguments == null
                || !card.arguments.containsKey(ArtifactCode.BLOCK_FACTORY)
                || !card.arguments.containsKey(ArtifactCode.TRANSLATOR_FACTORY)) {
            throw new IOException(
                    file + ": \"arguments\" must name blockFactory and translatorFactory");
        }
        return card;
    }

    /** The metadata being replaced, whose name and description stay unless the card has some. */
    private static Metadata readPrevious(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return JsonUtils.GSON.fromJson(
                    Files.readString(file, StandardCharsets.UTF_8), Metadata.class);
        } catch (JsonParseException e) {
            throw new IOException(file + ": invalid JSON (" + e.getMessage() + ")", e);
        }
    }

    private static <V> Map<String, V> orEmpty(Map<String, V> map) {
        return map == null ? Map.of() : map;
    }
}
