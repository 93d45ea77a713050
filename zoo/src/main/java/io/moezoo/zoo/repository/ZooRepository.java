package io.moezoo.zoo.repository;

import ai.djl.Application;
import ai.djl.repository.AbstractRepository;
import ai.djl.repository.Artifact;
import ai.djl.repository.MRL;
import ai.djl.repository.Metadata;
import ai.djl.repository.VersionRange;
import ai.djl.util.Progress;
import ai.djl.util.Utils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A DJL {@link ai.djl.repository.Repository} of MoE Zoo artifacts, laid out as DJL's model
 * repositories are ({@link MRL#toURI()}):
 *
 * <pre>
 * &lt;base&gt;/model/&lt;application&gt;/io/moezoo/&lt;artifactId&gt;/metadata.json
 * &lt;base&gt;/model/&lt;application&gt;/io/moezoo/&lt;artifactId&gt;/&lt;version&gt;/&lt;files&gt;
 * </pre>
 *
 * <p>(A file's {@code uri} in the metadata is relative to its version directory.) Artifacts land in
 * DJL's cache ({@code DJL_CACHE_DIR}, {@code cache/repo/}), at DJL's {@link #getResourceDirectory}.
 * What {@link AbstractRepository} does without checks is done here with them: {@link #locate} reads
 * {@code metadata.json} bounded and checked ({@link MetadataRules}); {@link #prepare} downloads
 * under {@link TransferLimits}, verifies size and sha1 while streaming, unpacks archives within
 * {@link ExtractionLimits}, and installs atomically ({@link ArtifactInstall}).
 *
 * <p>The default repository is the one embedded in the zoo jar (works offline, no set-up). Another
 * one ({@code file:}, {@code http:}, {@code https:}, {@code jar:}) is chosen with the system
 * property {@value #URL_PROPERTY} or the environment variable {@value #URL_ENV}, e.g. a mirror made
 * by copying {@code io/moezoo/zoo/repository/} out of the jar onto a web server.
 */
public final class ZooRepository extends AbstractRepository {

    /** System property naming the repository base URL. */
    public static final String URL_PROPERTY = "moezoo.repository.url";

    /** Environment variable naming the repository base URL. */
    public static final String URL_ENV = "MOEZOO_REPOSITORY_URL";

    /** Classpath location of the embedded repository. */
    public static final String EMBEDDED_ROOT = "io/moezoo/zoo/repository/";

    /** The file that marks a repository root. */
    public static final String MARKER = "repository.json";

    private static final int METADATA_LIMIT = 1 << 20;
    private static final String METADATA = "metadata.json";

    private final String base;
    private final boolean embedded;
    private final Path cache;

    private ZooRepository(String base, boolean embedded, Path cache) {
        super(embedded ? "moezoo-embedded" : "moezoo", URI.create(base));
        this.base = base;
        this.embedded = embedded;
        this.cache = cache.toAbsolutePath().normalize();
    }

    private ZooRepository(String base, boolean embedded) {
        this(
                base.endsWith("/") ? base : base + "/",
                embedded,
                Utils.getCacheDir().resolve("cache").resolve("repo"));
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
     * The same repository with its artifacts cached under another directory.
     *
     * @param root the cache root (holding {@code model/...})
     * @return the repository
     */
    public ZooRepository cachedIn(Path root) {
        return new ZooRepository(base, embedded, root);
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
     * The repository-relative directory of an artifact's metadata ({@link MRL#toURI()}).
     *
     * @param application the application
     * @param groupId the group id
     * @param artifactId the artifact id
     * @return e.g. {@code model/cv/image_classification/io/moezoo/vit-moe-fashion-mnist/}
     */
    public static String metadataDirectory(
            Application application, String groupId, String artifactId) {
        return MRL.model(null, application, groupId, artifactId, null, null).toURI().getPath();
    }

    /** {@inheritDoc} Artifacts are always copied into the cache before use. */
    @Override
    public boolean isRemote() {
        return true;
    }

    /** {@inheritDoc} */
    @Override
    public Path getCacheDirectory() throws IOException {
        return Files.createDirectories(cache);
    }

    /**
     * Reads and checks an artifact's {@code metadata.json}, within the transfer limits and at most
     * 1 MiB.
     *
     * @param mrl the artifact
     * @return the metadata, its artifacts sorted newest first
     * @throws ArtifactFetchException if it cannot be fetched or breaks a {@link MetadataRules} rule
     */
    @Override
    public Metadata locate(MRL mrl) throws IOException {
        URL url = resolve(mrl.toURI().getPath() + METADATA);
        Metadata metadata =
                MetadataRules.parse(
                        url, Download.readSmall(url, METADATA_LIMIT), mrl.getArtifactId());
        metadata.setRepositoryUri(mrl.toURI());
        return metadata;
    }

    /** {@inheritDoc} */
    @Override
    public Artifact resolve(MRL mrl, Map<String, String> filter) throws IOException {
        List<Artifact> artifacts = locate(mrl).search(VersionRange.parse(mrl.getVersion()), filter);
        return artifacts.isEmpty() ? null : artifacts.get(0);
    }

    /**
     * Lists the models of a repository that can be listed: a {@code file:} directory or a directory
     * in a jar (the embedded repository). Each {@code metadata.json} is read and checked, and must
     * lie where its application, group and artifact id place it.
     *
     * @return the models; empty for an http(s) repository, which cannot be listed
     * @throws UncheckedIOException wrapping an {@link ArtifactFetchException} if one is invalid
     */
    @Override
    public List<MRL> getResources() {
        List<MRL> models = new ArrayList<>();
        try {
            for (String path : metadataPaths()) {
                String dir = path.substring(0, path.length() - METADATA.length());
                String[] segments = dir.split("/");
                String artifactId = segments[segments.length - 1];
                URL url = resolve(path);
                Metadata m =
                        MetadataRules.parse(
                                url, Download.readSmall(url, METADATA_LIMIT), artifactId);
                MRL mrl = model(m.getApplication(), m.getGroupId(), artifactId);
                if (!mrl.toURI().getPath().equals(dir)) {
                    throw new ArtifactFetchException(
                            url + ": its application and groupId place it at " + mrl.toURI());
                }
                models.add(mrl);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return models;
    }

    /** The repository-relative paths of every {@code model/.../metadata.json}, sorted. */
    private List<String> metadataPaths() throws IOException {
        String scheme = getBaseUri().getScheme().toLowerCase(Locale.ROOT);
        List<String> paths = new ArrayList<>();
        if (scheme.equals("file")) {
            Path root = Paths.get(getBaseUri());
            if (!Files.isDirectory(root.resolve("model"))) {
                return paths;
            }
            try (Stream<Path> walk = Files.walk(root.resolve("model"), 12)) {
                walk.filter(p -> p.getFileName().toString().equals(METADATA))
                        .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                        .forEach(p -> paths.add(root.relativize(p).toString().replace('\\', '/')));
            }
        } else if (scheme.equals("jar")) {
            JarURLConnection entry = (JarURLConnection) new URL(base).openConnection();
            String root = entry.getEntryName() == null ? "" : entry.getEntryName();
            // The jar itself, not the base entry: a jar need not hold directory entries.
            JarURLConnection connection =
                    (JarURLConnection)
                            new URL("jar:" + entry.getJarFileURL() + "!/").openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                jar.stream()
                        .map(JarEntry::getName)
                        .filter(n -> n.startsWith(root + "model/") && n.endsWith("/" + METADATA))
                        .forEach(n -> paths.add(n.substring(root.length())));
            }
        }
        paths.sort(null);
        return paths;
    }

    /**
     * Returns whether a complete copy of the artifact, matching its metadata, is in the cache.
     *
     * @param artifact the artifact (from {@link #locate})
     * @return true if {@link #prepare} would not download anything
     * @throws IOException if the cache directory cannot be created
     */
    public boolean isPrepared(Artifact artifact) throws IOException {
        return ArtifactInstall.isInstalled(artifact, getResourceDirectory(artifact));
    }

    /**
     * Brings an artifact into the cache, unless a complete copy matching its metadata is there, and
     * checks that the copy holds no code.
     *
     * @param artifact the artifact (from {@link #locate})
     * @param progress shows bytes downloaded, may be null
     * @throws IOException if a file cannot be fetched or verified; the cache is then unchanged
     */
    @Override
    public void prepare(Artifact artifact, Progress progress) throws IOException {
        Path dir = getResourceDirectory(artifact);
        if (!dir.normalize().startsWith(cache)) {
            throw new ArtifactFetchException(artifact + " resolves outside the cache " + cache);
        }
        URI metadataDirectory = artifact.getMetadata().getRepositoryUri();
        ArtifactInstall.install(
                artifact,
                dir,
                (tmp, item, p) -> download(tmp, metadataDirectory, item, p),
                progress);
    }

    /**
     * Downloads one file of an artifact into the temporary directory: bounded, size and sha1
     * verified while streaming; an archive is unpacked within the extraction limits.
     *
     * @param tmp the artifact's temporary directory
     * @param metadataDirectory the artifact's metadata directory in this repository
     * @param item the file
     * @param progress receives the bytes read, may be null
     * @throws IOException if the file cannot be fetched, verified or unpacked
     */
    @Override
    protected void download(Path tmp, URI metadataDirectory, Artifact.Item item, Progress progress)
            throws IOException {
        String version = item.getArtifact().getVersion();
        String uri = MetadataRules.relativeUri(item.getUri(), metadataDirectory.toString());
        URL url = resolve(metadataDirectory.getPath() + version + "/" + uri);
        String fileName = uri.substring(uri.lastIndexOf('/') + 1);
        if (ArchiveExtractor.isArchive(fileName)) {
            Path archives = Files.createDirectories(tmp.resolve(".archives"));
            Path archive = MetadataRules.inside(archives, fileName);
            try {
                Download.toFile(url, archive, item.getSize(), item.getSha1Hash(), progress);
                ArchiveExtractor.extract(
                        archive, url.toString(), tmp, ExtractionLimits.fromSystemProperties());
            } finally {
                Utils.deleteQuietly(archives);
            }
        } else {
            Path target = MetadataRules.inside(tmp, item.getName());
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw new ArtifactFetchException(
                        url + ": artifact file name '" + item.getName() + "' is repeated");
            }
            Download.toFile(url, target, item.getSize(), item.getSha1Hash(), progress);
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
        return MetadataRules.utf8(url, Download.readSmall(url, METADATA_LIMIT));
    }

    /**
     * Resolves a path of plain names relative to this repository. Absolute URLs are not accepted:
     * what a repository's metadata names is always inside that repository.
     */
    private URL resolve(String path) throws ArtifactFetchException {
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        for (String segment : trimmed.split("/", -1)) {
            if (!MetadataRules.isPlain(segment)) {
                throw new ArtifactFetchException(
                        "Path '"
                                + MetadataRules.printable(path)
                                + "' is not a plain path inside the repository "
                                + base);
            }
        }
        if (embedded) {
            // The embedded repository spans two jars: its metadata ships with the zoo's code, its
            // files with moe-zoo-weights; the class loader finds each where it is.
            URL url = ZooRepository.class.getClassLoader().getResource(EMBEDDED_ROOT + path);
            if (url == null) {
                throw new ArtifactFetchException(
                        "'"
                                + MetadataRules.printable(path)
                                + "' is not on the class path: add io.moezoo:moe-zoo-weights,"
                                + " or load from a repository URL ("
                                + URL_PROPERTY
                                + ")");
            }
            return url;
        }
        try {
            // jar: URLs are opaque to URI.resolve, so join as text.
            return new URL(base + path);
        } catch (MalformedURLException e) {
            throw new ArtifactFetchException("Invalid URL for '" + path + "' in " + base, e);
        }
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return (embedded ? "embedded repository " : "repository ") + base;
    }
}
