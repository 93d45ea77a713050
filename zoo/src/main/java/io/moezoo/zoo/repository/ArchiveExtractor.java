package io.moezoo.zoo.repository;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Unpacks {@code .zip}, {@code .tar}, {@code .tar.gz} and {@code .tgz} archives into a directory.
 * Every entry is checked before anything is written for it: absolute names, names that resolve
 * outside the directory ({@code ../}), and tar links or device entries are refused with an {@link
 * ArtifactFetchException}.
 */
final class ArchiveExtractor {

    private static final int TAR_BLOCK = 512;

    private ArchiveExtractor() {}

    /**
     * Returns whether a file name is an archive this class unpacks.
     *
     * @param name the file name
     * @return true for zip, tar, tar.gz and tgz
     */
    static boolean isArchive(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".zip")
                || n.endsWith(".tar")
                || n.endsWith(".tgz")
                || n.endsWith(".tar.gz");
    }

    /**
     * Unpacks an archive.
     *
     * @param archive the archive file
     * @param target the directory to unpack into (created if needed)
     * @throws IOException if the archive is malformed or an entry escapes the target
     */
    static void extract(Path archive, Path target) throws IOException {
        Files.createDirectories(target);
        String name = archive.getFileName().toString().toLowerCase(Locale.ROOT);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive))) {
            if (name.endsWith(".zip")) {
                unzip(archive, raw, target);
            } else if (name.endsWith(".tar")) {
                untar(archive, raw, target);
            } else {
                untar(archive, new GZIPInputStream(raw), target);
            }
        }
    }

    private static void unzip(Path archive, InputStream raw, Path target) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(raw)) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                Path out = inside(archive, target, entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(zip, out);
                }
            }
        }
    }

    private static void untar(Path archive, InputStream in, Path target) throws IOException {
        byte[] header = new byte[TAR_BLOCK];
        while (true) {
            if (in.readNBytes(header, 0, TAR_BLOCK) < TAR_BLOCK) {
                throw new ArtifactFetchException(archive + ": truncated tar header");
            }
            if (isZero(header)) {
                return; // end-of-archive marker
            }
            String entryName = text(header, 0, 100);
            String prefix = text(header, 345, 155);
            if (!prefix.isEmpty()) {
                entryName = prefix + "/" + entryName;
            }
            long size = octal(archive, header, 124, 12);
            char type = (char) header[156];
            Path out = inside(archive, target, entryName);
            if (type == '0' || type == '\0' || type == '7') {
                Files.createDirectories(out.getParent());
                try (var file = Files.newOutputStream(out)) {
                    copyExactly(archive, in, file, size);
                }
            } else if (type == '5') {
                Files.createDirectories(out);
            } else if (type == 'x' || type == 'g') {
                in.skipNBytes(size); // pax headers carry no file data we need
            } else {
                throw new ArtifactFetchException(
                        archive
                                + ": entry '"
                                + entryName
                                + "' is a link or device (type "
                                + type
                                + "); refused");
            }
            long padding = (TAR_BLOCK - size % TAR_BLOCK) % TAR_BLOCK;
            in.skipNBytes(padding);
        }
    }

    /** Resolves an entry name inside the target, refusing names that would escape it. */
    static Path inside(Path archive, Path target, String entryName) throws ArtifactFetchException {
        String normalised = entryName.replace('\\', '/');
        if (normalised.isEmpty()
                || normalised.startsWith("/")
                || normalised.matches("^[A-Za-z]:.*")) {
            throw new ArtifactFetchException(
                    archive + ": entry '" + entryName + "' has an absolute path; refused");
        }
        Path root = target.toAbsolutePath().normalize();
        Path out = root.resolve(normalised).normalize();
        if (!out.startsWith(root) || out.equals(root) && !normalised.endsWith("/")) {
            throw new ArtifactFetchException(
                    archive + ": entry '" + entryName + "' escapes the target directory; refused");
        }
        return out;
    }

    private static void copyExactly(Path archive, InputStream in, java.io.OutputStream out, long n)
            throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long left = n;
        while (left > 0) {
            int r = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (r < 0) {
                throw new ArtifactFetchException(archive + ": truncated tar entry");
            }
            out.write(buffer, 0, r);
            left -= r;
        }
    }

    private static boolean isZero(byte[] block) {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static String text(byte[] header, int offset, int length) {
        int end = offset;
        while (end < offset + length && header[end] != 0) {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static long octal(Path archive, byte[] header, int offset, int length)
            throws ArtifactFetchException {
        String s = text(header, offset, length).trim();
        try {
            return s.isEmpty() ? 0 : Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new ArtifactFetchException(archive + ": bad tar size field '" + s + "'", e);
        }
    }
}
