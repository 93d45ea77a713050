package io.moezoo.zoo.repository;

import ai.djl.repository.Artifact;
import ai.djl.util.Progress;
import ai.djl.util.Utils;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Puts one artifact into its cache directory so that nothing is ever half-written. DJL's {@code
 * AbstractRepository.prepare} downloads into a temporary sibling and renames it too, but it treats
 * any existing directory as complete, checks nothing before the rename, and leaves the temporary
 * directories of killed processes behind. Here:
 *
 * <ul>
 *   <li>a complete entry carries a manifest of the sha1 of each file it was made from; an entry
 *       whose manifest does not match the current metadata is replaced;
 *   <li>the finished directory is checked to hold no code ({@link ArtifactContents}) before it is
 *       renamed into place, and again each time it is used;
 *   <li>temporary directories are named {@code .download-<pid>-*}; they are removed on every
 *       failure path, and those of dead processes (or older than a day) by the next install in the
 *       same directory.
 * </ul>
 */
final class ArtifactInstall {

    static final String MANIFEST = ".moezoo-artifact";

    /** Prefix of the directories an artifact is downloaded into. */
    static final String TEMPORARY = ".download-";

    private static final String STALE = ".stale-";
    private static final long PID = ProcessHandle.current().pid();
    private static final long STALE_AFTER_MILLIS = 24L * 3600 * 1000;
    private static final Map<Path, Object> LOCKS = new ConcurrentHashMap<>();

    /** Downloads one file of an artifact into a directory. */
    interface Fetch {
        void fetch(Path target, Artifact.Item item, Progress progress) throws IOException;
    }

    private ArtifactInstall() {}

    /**
     * Returns whether a complete copy of the artifact, matching its metadata, is in a directory.
     *
     * @param artifact the artifact
     * @param dir its cache directory
     * @return true if {@link #install} would not download anything
     */
    static boolean isInstalled(Artifact artifact, Path dir) {
        try {
            Path manifest = dir.resolve(MANIFEST);
            return Files.isRegularFile(manifest)
                    && Files.readString(manifest, StandardCharsets.UTF_8)
                            .equals(manifest(artifact));
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Makes sure the artifact is in its directory, fetching its files if needed.
     *
     * @param artifact the artifact (from checked metadata)
     * @param dir its cache directory
     * @param fetch downloads one file
     * @param progress shows bytes downloaded, may be null
     * @throws IOException if a file cannot be fetched or verified; the directory is then unchanged
     */
    static void install(Artifact artifact, Path dir, Fetch fetch, Progress progress)
            throws IOException {
        synchronized (LOCKS.computeIfAbsent(dir, d -> new Object())) {
            if (isInstalled(artifact, dir)) {
                ArtifactContents.checkNoCode(dir);
                return;
            }
            Path existing = dir.getParent();
            while (!Files.isDirectory(existing)) {
                existing = existing.getParent();
            }
            Files.createDirectories(dir.getParent());
            removeStaleTemporaries(dir.getParent());
            Path tmp = Files.createTempDirectory(dir.getParent(), TEMPORARY + PID + "-");
            try {
                fetchAll(artifact, tmp, fetch, progress);
                ArtifactContents.checkNoCode(tmp);
                Files.writeString(
                        tmp.resolve(MANIFEST), manifest(artifact), StandardCharsets.UTF_8);
                replace(tmp, dir);
            } catch (IOException | RuntimeException | Error e) {
                Utils.deleteQuietly(tmp);
                removeEmptyDirectories(dir.getParent(), existing);
                throw e;
            }
            Utils.deleteQuietly(tmp); // still there if another process installed it first
        }
    }

    private static void fetchAll(Artifact artifact, Path tmp, Fetch fetch, Progress progress)
            throws IOException {
        if (progress != null) {
            long total = 0;
            for (Artifact.Item item : artifact.getFiles().values()) {
                total += item.getSize();
            }
            progress.reset(
                    "Downloading "
                            + artifact.getMetadata().getArtifactId()
                            + " "
                            + artifact.getVersion(),
                    total);
            progress.start(0);
        }
        try {
            for (Artifact.Item item : new TreeMap<>(artifact.getFiles()).values()) {
                fetch.fetch(tmp, item, progress);
            }
        } finally {
            if (progress != null) {
                progress.end();
            }
        }
    }

    /** Removes the directories this failed install created, as long as they are empty. */
    private static void removeEmptyDirectories(Path from, Path existing) {
        for (Path p = from; p != null && !p.equals(existing); p = p.getParent()) {
            try {
                Files.delete(p);
            } catch (IOException e) {
                return; // not empty: another artifact or a live download is there
            }
        }
    }

    /** Removes the temporary directories of dead processes, and any older than a day. */
    private static void removeStaleTemporaries(Path parent) {
        try (Stream<Path> list = Files.list(parent)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                String name = p.getFileName().toString();
                if ((name.startsWith(TEMPORARY) || name.startsWith(STALE)) && isStale(p, name)) {
                    Utils.deleteQuietly(p);
                }
            }
        } catch (IOException | RuntimeException e) {
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

    /** Renames the finished directory into place, moving an outdated entry aside first. */
    private static void replace(Path tmp, Path dir) throws IOException {
        if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            Path stale = Files.createTempDirectory(dir.getParent(), STALE + PID + "-");
            Files.delete(stale);
            Files.move(dir, stale, StandardCopyOption.ATOMIC_MOVE);
            Utils.deleteQuietly(stale);
        }
        try {
            // DJL's move: if another process renamed its own copy first, that one is kept.
            Utils.moveQuietly(tmp, dir);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("The cache file system cannot rename " + tmp + " atomically", e);
        }
    }

    private static String manifest(Artifact artifact) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Artifact.Item> e : new TreeMap<>(artifact.getFiles()).entrySet()) {
            sb.append(e.getKey())
                    .append(' ')
                    .append(e.getValue().getSha1Hash().toLowerCase(Locale.ROOT))
                    .append(' ')
                    .append(e.getValue().getUri())
                    .append('\n');
        }
        return sb.toString();
    }
}
