package io.moezoo.zoo.repository;

import ai.djl.Application;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Writes the DJL {@code metadata.json} of an artifact directory in a repository tree: every file of
 * {@code <metadata dir>/<version>/} with its sha1 and size, and the {@code arguments}, {@code
 * options} and filter {@code properties} taken from the artifact's {@code card.json}.
 *
 * <p>{@code card.json} fields used: {@code name}, {@code description}, {@code arguments} (must name
 * {@code blockFactory} and {@code translatorFactory}), optional {@code options} and {@code
 * properties}.
 */
public final class ArtifactPublisher {

    /** Largest artifact the embedded repository accepts, in bytes. */
    public static final long MAX_ARTIFACT_BYTES = 16L << 20;

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
        Path cardFile = versionDir.resolve("card.json");
        if (!Files.isRegularFile(cardFile)) {
            throw new IOException(cardFile + " not found: every artifact needs a card");
        }
        JsonObject card =
                JsonParser.parseString(Files.readString(cardFile, StandardCharsets.UTF_8))
                        .getAsJsonObject();
        JsonObject arguments = card.getAsJsonObject("arguments");
        if (arguments == null
                || !arguments.has("blockFactory")
                || !arguments.has("translatorFactory")) {
            throw new IOException(
                    cardFile + ": \"arguments\" must name blockFactory and translatorFactory");
        }
        JsonObject files = new JsonObject();
        long total = 0;
        List<Path> listed;
        try (Stream<Path> s = Files.list(versionDir)) {
            listed = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path file : listed) {
            String name = file.getFileName().toString();
            if (name.startsWith(".")) {
                continue;
            }
            long size = Files.size(file);
            total += size;
            JsonObject item = new JsonObject();
            item.addProperty("uri", name);
            item.addProperty("name", name);
            item.addProperty("sha1Hash", Download.sha1(file));
            item.addProperty("size", size);
            item.addProperty("type", "file");
            files.add(name.replace('.', '_'), item);
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
        JsonObject artifact = new JsonObject();
        artifact.addProperty("version", version);
        artifact.addProperty("snapshot", false);
        artifact.addProperty("name", artifactId);
        artifact.add("properties", orEmpty(card.get("properties")));
        artifact.add("arguments", arguments);
        JsonObject options = orEmpty(card.get("options")).getAsJsonObject();
        if (!options.has("hasParameter")) {
            options.addProperty("hasParameter", "false");
        }
        artifact.add("options", options);
        artifact.add("files", files);

        JsonObject metadata = new JsonObject();
        metadata.addProperty("metadataVersion", "0.2");
        metadata.addProperty("resourceType", "model");
        metadata.addProperty("application", application.getPath());
        metadata.addProperty("groupId", groupId);
        metadata.addProperty("artifactId", artifactId);
        metadata.addProperty(
                "name", card.has("name") ? card.get("name").getAsString() : artifactId);
        metadata.addProperty(
                "description",
                card.has("description") ? card.get("description").getAsString() : "");
        metadata.addProperty("website", "https://github.com/moezoo/moe-zoo");
        JsonObject license = new JsonObject();
        license.addProperty("name", "The Apache License, Version 2.0");
        license.addProperty("url", "https://www.apache.org/licenses/LICENSE-2.0");
        JsonObject licenses = new JsonObject();
        licenses.add("license", license);
        metadata.add("licenses", licenses);
        com.google.gson.JsonArray artifacts = new com.google.gson.JsonArray();
        artifacts.add(artifact);
        metadata.add("artifacts", artifacts);

        Gson gson = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
        Path out = metadataDir.resolve("metadata.json");
        Path tmp = metadataDir.resolve(".metadata.json.tmp");
        Files.writeString(tmp, gson.toJson(metadata) + "\n", StandardCharsets.UTF_8);
        Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return out;
    }

    private static JsonElement orEmpty(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return new JsonObject();
        }
        // sorted keys: metadata.json is reproducible
        Map<String, JsonElement> sorted = new TreeMap<>(e.getAsJsonObject().asMap());
        JsonObject o = new JsonObject();
        sorted.forEach(o::add);
        return o;
    }
}
