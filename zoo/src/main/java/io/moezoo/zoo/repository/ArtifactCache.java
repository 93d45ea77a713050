package io.moezoo.zoo.repository;

import ai.djl.repository.Artifact;
import ai.djl.util.Progress;
import ai.djl.util.Utils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
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
 */
public final class ArtifactCache {

    static final String MANIFEST = ".moezoo-artifact";

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

    /**
     * Returns whether a complete copy of the artifact, matching its metadata, is in the cache.
     *
     * @param metadataDirectory the artifact's metadata directory in the repository
     * @param artifact the artifact
     * @return true if {@link #prepare} would not download anything
     */
    public boolean isPrepared(String metadataDirectory, Artifact artifact) {
        Path dir = directory(metadataDirectory, artifact);
        try {
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
        Path dir = directory(metadataDirectory, artifact);
        if (!dir.startsWith(root)) {
            throw new ArtifactFetchException("Artifact version escapes the cache: " + dir);
        }
        synchronized (LOCKS.computeIfAbsent(dir, d -> new Object())) {
            if (isPrepared(metadataDirectory, artifact)) {
                return dir;
            }
            Files.createDirectories(dir.getParent());
            Path tmp = Files.createTempDirectory(dir.getParent(), ".download-");
            try {
                fetchInto(repository, metadataDirectory, artifact, tmp, progress);
                Files.writeString(
                        tmp.resolve(MANIFEST), manifest(artifact), StandardCharsets.UTF_8);
                install(tmp, dir);
                return dir;
            } finally {
                deleteTree(tmp);
            }
        }
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
                String uri = item.getUri();
                String path =
                        uri.matches("^(https?|file):.*")
                                ? uri
                                : metadataDirectory + artifact.getVersion() + "/" + uri;
                String fileName = uri.substring(uri.lastIndexOf('/') + 1);
                if (ArchiveExtractor.isArchive(fileName)) {
                    Path archive = archives.resolve(fileName);
                    Download.toFile(
                            repository.resolve(path),
                            archive,
                            item.getSize(),
                            item.getSha1Hash(),
                            progress);
                    ArchiveExtractor.extract(archive, tmp);
                } else {
                    Path target = tmp.resolve(item.getName());
                    if (!target.normalize().startsWith(tmp) || Files.exists(target)) {
                        throw new ArtifactFetchException(
                                "Artifact file name '"
                                        + item.getName()
                                        + "' is unsafe or repeated");
                    }
                    Download.toFile(
                            repository.resolve(path),
                            target,
                            item.getSize(),
                            item.getSha1Hash(),
                            progress);
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
            Path stale = Files.createTempDirectory(dir.getParent(), ".stale-");
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
