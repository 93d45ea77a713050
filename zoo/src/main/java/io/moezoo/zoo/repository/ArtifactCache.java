package io.moezoo.zoo.repository;

import ai.djl.repository.Artifact;
import ai.djl.util.Progress;
import ai.djl.util.Utils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The local copy of zoo artifacts, under DJL's cache directory ({@code DJL_CACHE_DIR}, default
 * {@code ~/.djl.ai}) at {@code cache/repo/<metadata directory>/<version>/}.
 *
 * <p>An artifact lands atomically: its files are downloaded (sha1 and size verified) and archives
 * unpacked into a temporary sibling directory, which is renamed into place only when everything
 * succeeded. A failed, truncated or corrupt download therefore leaves no entry behind. A complete
 * entry carries a manifest of the sha1 of each file it was made from; an entry whose manifest does
 * not match the current metadata is replaced.
 *
 * <p>Every path is checked to stay inside its entry; the finished directory is checked to hold no
 * code ({@link ArtifactContents}) before it is renamed into place. Temporary directories are named
 * {@code .download-<pid>-*}: they are removed on every failure path, and those left by a process
 * that was killed are removed by the next {@link #prepare} in the same directory.
 */
public final class ArtifactCache {

    static final String MANIFEST = ".moezoo-artifact";

    /** Prefix of the directories an artifact is downloaded into. */
    static final String TEMPORARY = ".download-";

    private static final String STALE = ".stale-";
    private static final long PID = ProcessHandle.current().pid();
    private static final long STALE_AFTER_MILLIS = 24L * 3600 * 1000;

    private static final Map<Path, Object> LOCKS = new ConcurrentHashMap<>();

    private final Path root;

    /**
     * Creates a cache rooted at a directory.
     *
     * @param root the directory holding {@code model/...} entries
     */
    public ArtifactCache(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /**
     * The cache inside DJL's cache directory.
     *
     * @return the default cache
     */
    public static ArtifactCache defaultCache() {
        return new ArtifactCache(Utils.getCacheDir().resolve("cache").resolve("repo"));
    }

    /**
     * Returns the cache root.
     *
     * @return the root directory
     */
    public Path root() {
        return root;
    }

    /**
     * The directory an artifact occupies once prepared.
     *
     * @param metadataDirectory the artifact's metadata directory in the repository
     * @param artifact the artifact
     * @return its cache directory (which may not exist yet)
     */
    public Path directory(String metadataDirectory, Artifact artifact) {
        return root.resolve(metadataDirectory).resolve(artifact.getVersion()).normalize();
    }

    /** The entry's directory, checked to be a version directory strictly inside the cache. */
    private Path checkedDirectory(String metadataDirectory, Artifact artifact)
            throws ArtifactFetchException {
        ArtifactNames.plain("version", artifact.getVersion(), metadataDirectory);
        Path parent = ArtifactNames.inside(root, metadataDirectory);
        Path dir = ArtifactNames.inside(parent, artifact.getVersion());
        if (!dir.getParent().equals(parent)) {
            throw new ArtifactFetchException("Artifact version escapes the cache: " + dir);
        }
        return dir;
    }

    /**
     * Returns whether a complete copy of the artifact, matching its metadata, is in the cache.
     *
     * @param metadataDirectory the artifact's metadata directory in the repository
     * @param artifact the artifact
     * @return true if {@link #prepare} would not download anything
     */
    public boolean isPrepared(String metadataDirectory, Artifact artifact) {
        try {
            Path dir = checkedDirectory(metadataDirectory, artifact);
            return Files.isRegularFile(dir.resolve(MANIFEST))
                    && Files.readString(dir.resolve(MANIFEST), StandardCharsets.UTF_8)
                            .equals(manifest(artifact));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Makes sure the artifact is in the cache, downloading it from the repository if needed.
     *
     * @param repository where the files come from
     * @param metadataDirectory the artifact's metadata directory in the repository
     * @param artifact the artifact (from validated metadata)
     * @param progress shows bytes downloaded, may be null
     * @return the artifact's directory
     * @throws IOException if a file cannot be fetched or verified; the cache is then unchanged
     */
    public Path prepare(
            ZooRepository repository,
            String metadataDirectory,
            Artifact artifact,
            Progress progress)
            throws IOException {
        Path dir = checkedDirectory(metadataDirectory, artifact);
        synchronized (LOCKS.computeIfAbsent(dir, d -> new Object())) {
            if (isPrepared(metadataDirectory, artifact)) {
                return dir;
            }
            Files.createDirectories(dir.getParent());
            removeStaleTemporaries(dir.getParent());
            Path tmp = Files.createTempDirectory(dir.getParent(), TEMPORARY + PID + "-");
            Throwable failure = null;
            try {
                fetchInto(repository, metadataDirectory, artifact, tmp, progress);
                ArtifactContents.checkNoCode(tmp);
                Files.writeString(
                        tmp.resolve(MANIFEST), manifest(artifact), StandardCharsets.UTF_8);
                install(tmp, dir);
                return dir;
            } catch (Throwable e) {
                failure = e;
                throw e;
            } finally {
                try {
                    deleteTree(tmp);
                } catch (IOException | RuntimeException e) {
                    if (failure == null) {
                        throw e;
                    }
                    failure.addSuppressed(e);
                }
            }
        }
    }

    /**
     * Removes the temporary directories that killed processes left in an artifact's metadata
     * directory: those of a process that is no longer alive, and any older than a day.
     */
    private static void removeStaleTemporaries(Path parent) {
        try (Stream<Path> list = Files.list(parent)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                String name = p.getFileName().toString();
                if (!name.startsWith(TEMPORARY) && !name.startsWith(STALE)) {
                    continue;
                }
                if (isStale(p, name)) {
                    deleteTree(p);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // best effort: a leftover that cannot be removed now is tried again next time
        }
    }

    private static boolean isStale(Path p, String name) throws IOException {
        String rest =
                name.substring(name.startsWith(TEMPORARY) ? TEMPORARY.length() : STALE.length());
        int dash = rest.indexOf('-');
        long owner = -1;
        try {
            owner = dash > 0 ? Long.parseLong(rest.substring(0, dash)) : -1;
        } catch (NumberFormatException e) {
            // an older naming scheme: judged by age alone
        }
        boolean ownerGone =
                owner > 0
                        && owner != PID
                        && ProcessHandle.of(owner).map(h -> !h.isAlive()).orElse(true);
        long age =
                System.currentTimeMillis()
                        - Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis();
        return ownerGone || age > STALE_AFTER_MILLIS;
    }

    private static void fetchInto(
            ZooRepository repository,
            String metadataDirectory,
            Artifact artifact,
            Path tmp,
            Progress progress)
            throws IOException {
        long total = 0;
        for (Artifact.Item item : artifact.getFiles().values()) {
            total += item.getSize();
        }
        if (progress != null) {
            progress.reset(
                    "Downloading "
                            + artifact.getMetadata().getArtifactId()
                            + " "
                            + artifact.getVersion(),
                    total);
            progress.start(0);
        }
        try {
            Path archives = Files.createDirectories(tmp.resolve(".archives"));
            for (Artifact.Item item : new TreeMap<>(artifact.getFiles()).values()) {
                String uri = ArtifactNames.relativeUri(item.getUri(), metadataDirectory);
                URL url = repository.resolve(metadataDirectory + artifact.getVersion() + "/" + uri);
                String fileName = uri.substring(uri.lastIndexOf('/') + 1);
                if (ArchiveExtractor.isArchive(fileName)) {
                    Path archive = ArtifactNames.inside(archives, fileName);
                    Download.toFile(url, archive, item.getSize(), item.getSha1Hash(), progress);
                    ArchiveExtractor.extract(
                            archive, url.toString(), tmp, ExtractionLimits.fromSystemProperties());
                    Files.delete(archive);
                } else {
                    Path target = ArtifactNames.inside(tmp, item.getName());
                    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                        throw new ArtifactFetchException(
                                url + ": artifact file name '" + item.getName() + "' is repeated");
                    }
                    Download.toFile(url, target, item.getSize(), item.getSha1Hash(), progress);
                }
            }
            deleteTree(archives);
        } finally {
            if (progress != null) {
                progress.end();
            }
        }
    }

    /** Renames the finished temporary directory into place, replacing a stale entry. */
    private static void install(Path tmp, Path dir) throws IOException {
        if (Files.exists(dir)) {
            Path stale = Files.createTempDirectory(dir.getParent(), STALE + PID + "-");
            Files.delete(stale);
            Files.move(dir, stale, StandardCopyOption.ATOMIC_MOVE);
            deleteTree(stale);
        }
        try {
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("The cache file system cannot rename " + tmp + " atomically", e);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
            // another process finished the same artifact first; its copy is as good as ours
        }
    }

    private static String manifest(Artifact artifact) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Artifact.Item> e : new TreeMap<>(artifact.getFiles()).entrySet()) {
            sb.append(e.getKey())
                    .append(' ')
                    .append(e.getValue().getSha1Hash().toLowerCase(java.util.Locale.ROOT))
                    .append(' ')
                    .append(e.getValue().getUri())
                    .append('\n');
        }
        return sb.toString();
    }

    static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            walk.sorted(Comparator.reverseOrder())
                    .forEach(
                            p -> {
                                try {
                                    Files.deleteIfExists(p);
                                } catch (IOException e) {
                                    throw new UncheckedIOException(e);
                                }
                            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
