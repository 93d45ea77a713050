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
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
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
    private static final int MAX_ARTIFACTS = 1000;
    private static final int MAX_FILES = 1000;
    private static final java.util.Set<String> ALLOWED_OPTIONS = java.util.Set.of("hasParameter");
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
     * Resolves a path relative to this repository. Absolute URLs are not accepted: what a
     * repository's metadata names is always inside that repository.
     *
     * @param path a repository-relative path of plain names
     * @return the URL
     * @throws ArtifactFetchException if the path is not a plain relative path
     */
    public URL resolve(String path) throws ArtifactFetchException {
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        for (String segment : trimmed.split("/", -1)) {
            if (!ArtifactNames.isPlain(segment)) {
                throw new ArtifactFetchException(
                        "Path '"
                                + ArtifactNames.printable(path)
                                + "' is not a plain path inside the repository "
                                + base);
            }
        }
        try {
            // jar: URLs are opaque to URI.resolve, so join as text.
            return new URL(base + path);
        } catch (MalformedURLException e) {
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
        URL url = resolve(path);
        return utf8(url, Download.readSmall(url, METADATA_LIMIT));
    }

    private static String utf8(URL url, byte[] bytes) throws ArtifactFetchException {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new ArtifactFetchException(url + ": not valid UTF-8 text", e);
        }
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
            metadata = JsonUtils.GSON.fromJson(utf8(url, bytes), Metadata.class);
        } catch (JsonParseException | IllegalStateException | NumberFormatException e) {
            throw new ArtifactFetchException(url + ": invalid JSON (" + e.getMessage() + ")", e);
        } catch (StackOverflowError e) {
            throw new ArtifactFetchException(url + ": invalid JSON (nested too deeply)");
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
        if (metadata.getArtifacts().size() > MAX_ARTIFACTS) {
            throw new ArtifactFetchException(
                    url + ": more than " + MAX_ARTIFACTS + " artifacts listed; refused");
        }
        for (Artifact artifact : metadata.getArtifacts()) {
            if (artifact == null) {
                throw new ArtifactFetchException(url + ": a null artifact is listed");
            }
            ArtifactNames.plain("artifact version", artifact.getVersion(), url.toString());
            try {
                artifact.getParsedVersion();
            } catch (RuntimeException e) {
                throw new ArtifactFetchException(
                        url
                                + ": artifact version '"
                                + artifact.getVersion()
                                + "' is not a version");
            }
            ArtifactNames.plain("artifact name", artifact.getName(), url.toString());
            String where = url + ": artifact " + artifact.getName() + " " + artifact.getVersion();
            checkOptions(artifact, where);
            if (artifact.getFiles() == null || artifact.getFiles().isEmpty()) {
                throw new ArtifactFetchException(where + " lists no files");
            }
            if (artifact.getFiles().size() > MAX_FILES) {
                throw new ArtifactFetchException(
                        where + " lists more than " + MAX_FILES + " files; refused");
            }
            for (Map.Entry<String, Artifact.Item> e : artifact.getFiles().entrySet()) {
                checkItem(e.getKey(), e.getValue(), where);
            }
        }
        metadata.init(Map.of());
        return metadata;
    }

    private static void checkItem(String key, Artifact.Item item, String where)
            throws ArtifactFetchException {
        String file = where + ": file '" + ArtifactNames.printable(key) + "'";
        if (item == null) {
            throw new ArtifactFetchException(file + " is null");
        }
        ArtifactNames.relativeUri(item.getUri(), file);
        ArtifactContents.checkName(item.getUri(), file);
        if (item.getSha1Hash() == null || !SHA1.matcher(item.getSha1Hash()).matches()) {
            throw new ArtifactFetchException(file + " has no valid sha1Hash");
        }
        if (item.getSize() <= 0) {
            throw new ArtifactFetchException(file + " has no positive size");
        }
        String name = item.getName();
        if (!ArtifactNames.isPlain(name) || name.startsWith(".")) {
            throw new ArtifactFetchException(
                    file + " has an unsafe name '" + ArtifactNames.printable(name) + "'");
        }
        ArtifactContents.checkName(name, file);
    }

    /** Only options that change how parameters are found, never what code runs, are accepted. */
    private static void checkOptions(Artifact artifact, String where)
            throws ArtifactFetchException {
        Map<String, String> options = artifact.getOptions(new java.util.HashMap<>());
        if (options == null) {
            return;
        }
        for (Map.Entry<String, String> e : options.entrySet()) {
            if (!ALLOWED_OPTIONS.contains(e.getKey())) {
                throw new ArtifactFetchException(
                        where
                                + ": option '"
                                + ArtifactNames.printable(e.getKey())
                                + "' is not accepted from a repository (accepted: "
                                + ALLOWED_OPTIONS
                                + ")");
            }
            if (!"true".equals(e.getValue()) && !"false".equals(e.getValue())) {
                throw new ArtifactFetchException(
                        where + ": option '" + e.getKey() + "' must be \"true\" or \"false\"");
            }
        }
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return (embedded ? "embedded repository " : "repository ") + base;
    }
}
