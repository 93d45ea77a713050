package io.moezoo.zoo.repository;

import ai.djl.Application;
import ai.djl.repository.Artifact;
import ai.djl.repository.Metadata;
import ai.djl.util.JsonUtils;
import com.google.gson.JsonParseException;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Where zoo artifacts come from: a base URL laid out like DJL's model repositories,
 *
 * <pre>
 * &lt;base&gt;/model/&lt;application&gt;/io/moezoo/&lt;artifactId&gt;/metadata.json
 * &lt;base&gt;/model/&lt;application&gt;/io/moezoo/&lt;artifactId&gt;/&lt;version&gt;/&lt;files&gt;
 * </pre>
 *
 * <p>The default is the repository embedded in the zoo jar (works offline, no set-up). Another one
 * ({@code file:}, {@code http:}, {@code https:}, {@code jar:}) is chosen with the system property
 * {@value #URL_PROPERTY} or the environment variable {@value #URL_ENV}, e.g. a mirror made by
 * copying {@code io/moezoo/zoo/repository/} out of the jar onto a web server.
 */
public final class ZooRepository {

    /** System property naming the repository base URL. */
    public static final String URL_PROPERTY = "moezoo.repository.url";

    /** Environment variable naming the repository base URL. */
    public static final String URL_ENV = "MOEZOO_REPOSITORY_URL";

    /** Classpath location of the embedded repository. */
    public static final String EMBEDDED_ROOT = "io/moezoo/zoo/repository/";

    /** The file that marks a repository root. */
    public static final String MARKER = "repository.json";

    private static final int METADATA_LIMIT = 1 << 20;
    private static final Pattern SHA1 = Pattern.compile("[0-9a-fA-F]{40}");

    private final String base;
    private final boolean embedded;

    private ZooRepository(String base, boolean embedded) {
        this.base = base.endsWith("/") ? base : base + "/";
        this.embedded = embedded;
    }

    /**
     * The repository chosen by {@value #URL_PROPERTY} / {@value #URL_ENV}, else the embedded one.
     *
     * @return the repository
     * @throws IllegalArgumentException if the configured URL is invalid
     */
    public static ZooRepository fromEnvironment() {
        String url = System.getProperty(URL_PROPERTY, System.getenv(URL_ENV));
        return url == null || url.isBlank() ? embedded() : of(url.trim());
    }

    /**
     * The repository shipped inside the zoo jar.
     *
     * @return the embedded repository
     */
    public static ZooRepository embedded() {
        // Look up the marker file, not the directory: a directory name can exist in several
        // classpath entries (e.g. a test package of the same name).
        URL url = ZooRepository.class.getClassLoader().getResource(EMBEDDED_ROOT + MARKER);
        if (url == null) {
            throw new IllegalStateException(
                    "The embedded repository " + EMBEDDED_ROOT + " is missing from the classpath");
        }
        String marker = url.toString();
        return new ZooRepository(marker.substring(0, marker.length() - MARKER.length()), true);
    }

    /**
     * A repository at a URL.
     *
     * @param url a {@code file:}, {@code http:}, {@code https:} or {@code jar:} URL of the
     *     repository root
     * @return the repository
     * @throws IllegalArgumentException if the URL is malformed or has another scheme
     */
    public static ZooRepository of(String url) {
        String scheme;
        try {
            scheme = new URI(url).getScheme();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Invalid repository URL '" + url + "': " + e, e);
        }
        if (scheme == null
                || !Pattern.matches("file|https?|jar", scheme.toLowerCase(Locale.ROOT))) {
            throw new IllegalArgumentException(
                    "Unsupported repository URL '"
                            + url
                            + "': use file:, http:, https: or jar: (set "
                            + URL_PROPERTY
                            + " or "
                            + URL_ENV
                            + ")");
        }
        return new ZooRepository(url, false);
    }

    /**
     * Returns the base URL, ending with a slash.
     *
     * @return the base URL
     */
    public String baseUrl() {
        return base;
    }

    /**
     * Returns whether this is the repository inside the zoo jar.
     *
     * @return true for the embedded repository
     */
    public boolean isEmbedded() {
        return embedded;
    }

    /**
     * The repository-relative directory of an artifact's metadata, DJL's {@code MRL} layout.
     *
     * @param application the application
     * @param groupId the group id
     * @param artifactId the artifact id
     * @return e.g. {@code model/cv/image_classification/io/moezoo/vit-moe-fashion-mnist/}
     */
    public static String metadataDirectory(
            Application application, String groupId, String artifactId) {
        return "model/"
                + application.getPath()
                + "/"
                + groupId.replace('.', '/')
                + "/"
                + artifactId
                + "/";
    }

    /**
     * Resolves a relative path (or passes an absolute URL through) against this repository.
     *
     * @param path a repository-relative path, or an absolute http(s)/file URL from metadata
     * @return the URL
     * @throws ArtifactFetchException if the path is malformed or climbs out of the repository
     */
    public URL resolve(String path) throws ArtifactFetchException {
        try {
            if (path.matches("^(https?|file):.*")) {
                return new URI(path).toURL();
            }
            for (String segment : path.split("/")) {
                if (segment.equals("..") || segment.equals(".")) {
                    throw new ArtifactFetchException(
                            "Path '" + path + "' leaves the repository " + base);
                }
            }
            if (path.startsWith("/") || path.contains("\\") || path.contains(":")) {
                throw new ArtifactFetchException("Invalid repository path '" + path + "'");
            }
            // jar: URLs are opaque to URI.resolve, so join as text.
            return new URL(base + path);
        } catch (URISyntaxException | MalformedURLException e) {
            throw new ArtifactFetchException("Invalid URL for '" + path + "' in " + base, e);
        }
    }

    /**
     * Reads a small text file (at most 1 MiB) of the repository, e.g. a model card.
     *
     * @param path the repository-relative path
     * @return the text (UTF-8)
     * @throws IOException if it cannot be fetched
     */
    public String readText(String path) throws IOException {
        return new String(
                Download.readSmall(resolve(path), METADATA_LIMIT), StandardCharsets.UTF_8);
    }

    /**
     * Reads and validates an artifact's {@code metadata.json}.
     *
     * @param metadataDirectory the directory from {@link #metadataDirectory}
     * @param artifactId the artifact id the metadata must declare
     * @return the metadata, with each artifact linked to it
     * @throws ArtifactFetchException if it cannot be fetched or is invalid
     */
    public Metadata metadata(String metadataDirectory, String artifactId) throws IOException {
        URL url = resolve(metadataDirectory + "metadata.json");
        byte[] bytes = Download.readSmall(url, METADATA_LIMIT);
        Metadata metadata;
        try {
            metadata =
                    JsonUtils.GSON.fromJson(
                            new String(bytes, StandardCharsets.UTF_8), Metadata.class);
        } catch (JsonParseException e) {
            throw new ArtifactFetchException(url + ": invalid JSON (" + e.getMessage() + ")", e);
        }
        if (metadata == null) {
            throw new ArtifactFetchException(url + ": empty metadata");
        }
        if (!artifactId.equals(metadata.getArtifactId())) {
            throw new ArtifactFetchException(
                    url
                            + ": artifactId is '"
                            + metadata.getArtifactId()
                            + "', expected "
                            + artifactId);
        }
        if (metadata.getArtifacts() == null || metadata.getArtifacts().isEmpty()) {
            throw new ArtifactFetchException(url + ": no artifacts listed");
        }
        for (Artifact artifact : metadata.getArtifacts()) {
            String where = url + ": artifact " + artifact.getName() + " " + artifact.getVersion();
            if (artifact.getVersion() == null
                    || !artifact.getVersion().matches("[0-9A-Za-z.+-]+")) {
                throw new ArtifactFetchException(url + ": artifact without a valid version");
            }
            if (artifact.getFiles() == null || artifact.getFiles().isEmpty()) {
                throw new ArtifactFetchException(where + " lists no files");
            }
            for (Map.Entry<String, Artifact.Item> e : artifact.getFiles().entrySet()) {
                Artifact.Item item = e.getValue();
                if (item.getUri() == null || item.getUri().isBlank()) {
                    throw new ArtifactFetchException(
                            where + ": file '" + e.getKey() + "' has no uri");
                }
                if (item.getSha1Hash() == null || !SHA1.matcher(item.getSha1Hash()).matches()) {
                    throw new ArtifactFetchException(
                            where + ": file '" + e.getKey() + "' has no valid sha1Hash");
                }
                if (item.getSize() <= 0) {
                    throw new ArtifactFetchException(
                            where + ": file '" + e.getKey() + "' has no positive size");
                }
                String name = item.getName();
                if (name.isEmpty()
                        || name.contains("/")
                        || name.contains("\\")
                        || name.startsWith(".")) {
                    throw new ArtifactFetchException(
                            where
                                    + ": file '"
                                    + e.getKey()
                                    + "' has an unsafe name '"
                                    + name
                                    + "'");
                }
            }
        }
        metadata.init(Map.of());
        return metadata;
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return (embedded ? "embedded repository " : "repository ") + base;
    }
}
