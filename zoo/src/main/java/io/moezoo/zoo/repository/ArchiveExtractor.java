package io.moezoo.zoo.repository;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Unpacks {@code .zip}, {@code .tar}, {@code .tar.gz} and {@code .tgz} archives into a directory.
 * DJL's {@code ZipUtils}/{@code TarUtils} refuse only {@code ..} in entry names; here every entry
 * is checked before anything is written for it: absolute names, names that resolve outside the
 * directory, code ({@link ArtifactContents}), repeated names, and tar links or device entries are
 * refused with an {@link ArtifactFetchException}. The {@link ExtractionLimits} bound the bytes
 * written (absolute and per byte of archive) and the entry count, so a zip bomb stops at its
 * budget; tar headers are read here (not by commons-compress) so that pax and long-name records
 * stay bounded too. The caller deletes what was written.
 */
final class ArchiveExtractor {

    private static final int TAR_BLOCK = 512;

    private final Path archive;
    private final String source;
    private final Path target;
    private final ExtractionLimits limits;
    private final long budget;
    private long written;
    private int entries;

    private ArchiveExtractor(
            Path archive, String source, Path target, ExtractionLimits limits, long budget) {
        this.archive = archive;
        this.source = source;
        this.target = target;
        this.limits = limits;
        this.budget = budget;
    }

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
     * Unpacks an archive within the given limits.
     *
     * @param archive the archive file
     * @param source where the archive came from (its URL), named in every message
     * @param target the directory to unpack into (created if needed)
     * @param limits the bounds on bytes and entries
     * @throws IOException if the archive is malformed, an entry is refused or a limit is passed
     */
    static void extract(Path archive, String source, Path target, ExtractionLimits limits)
            throws IOException {
        Files.createDirectories(target);
        ArchiveExtractor extractor =
                new ArchiveExtractor(
                        archive, source, target, limits, limits.budget(Files.size(archive)));
        String name = archive.getFileName().toString().toLowerCase(Locale.ROOT);
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(archive))) {
            if (name.endsWith(".zip")) {
                extractor.unzip(raw);
            } else if (name.endsWith(".tar")) {
                extractor.untar(raw);
            } else {
                extractor.untar(new GZIPInputStream(raw));
            }
        } catch (java.util.zip.ZipException | java.io.EOFException e) {
            throw new ArtifactFetchException(
                    source + ": corrupt archive (" + e.getMessage() + ")", e);
        }
    }

    private void unzip(InputStream raw) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(raw)) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                Path out = entry(entry.getName());
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    try (OutputStream file =
                            Files.newOutputStream(out, StandardOpenOption.CREATE_NEW)) {
                        copy(zip, file, Long.MAX_VALUE);
                    }
                }
            }
        }
    }

    /** Counts and checks one entry, returning where it goes. */
    private Path entry(String entryName) throws IOException {
        if (++entries > limits.maxEntries()) {
            throw new ArtifactFetchException(
                    source
                            + ": more than "
                            + limits.maxEntries()
                            + " entries (moezoo.extract.maxEntries); refused");
        }
        ArtifactContents.checkName(entryName, source);
        Path out = inside(source, target, entryName);
        if (Files.exists(out, java.nio.file.LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(out)) {
            throw new ArtifactFetchException(
                    source
                            + ": entry '"
                            + MetadataRules.printable(entryName)
                            + "' is repeated; refused");
        }
        return out;
    }

    private void untar(InputStream in) throws IOException {
        byte[] header = new byte[TAR_BLOCK];
        while (true) {
            if (in.readNBytes(header, 0, TAR_BLOCK) < TAR_BLOCK) {
                throw new ArtifactFetchException(source + ": truncated tar header");
            }
            if (isZero(header)) {
                return; // end-of-archive marker
            }
            String entryName = text(header, 0, 100);
            String prefix = text(header, 345, 155);
            if (!prefix.isEmpty()) {
                entryName = prefix + "/" + entryName;
            }
            long size = octal(source, header, 124, 12);
            char type = (char) header[156];
            if (type == 'x' || type == 'g') {
                if (size > 1 << 20) {
                    throw new ArtifactFetchException(source + ": pax header over 1 MiB; refused");
                }
                in.skipNBytes(size); // pax headers carry no file data we need
            } else if (type == '0' || type == '\0' || type == '7') {
                Path out = entry(entryName);
                Files.createDirectories(out.getParent());
                try (OutputStream file =
                        Files.newOutputStream(out, StandardOpenOption.CREATE_NEW)) {
                    if (copy(in, file, size) < size) {
                        throw new ArtifactFetchException(source + ": truncated tar entry");
                    }
                }
            } else if (type == '5') {
                Files.createDirectories(entry(entryName));
            } else {
                throw new ArtifactFetchException(
                        source
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
    static Path inside(String archive, Path target, String entryName)
            throws ArtifactFetchException {
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

    /**
     * Copies at most {@code limit} bytes, counting them against the budget.
     *
     * @return the bytes copied (less than {@code limit} only at the end of the input)
     */
    private long copy(InputStream in, OutputStream out, long limit) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long copied = 0;
        while (copied < limit) {
            int r = in.read(buffer, 0, (int) Math.min(buffer.length, limit - copied));
            if (r < 0) {
                break;
            }
            written += r;
            if (written > budget) {
                throw new ArtifactFetchException(
                        source
                                + ": unpacks to more than "
                                + budget
                                + " bytes (the smaller of moezoo.extract.maxBytes="
                                + limits.maxBytes()
                                + " and moezoo.extract.maxRatio="
                                + limits.maxRatio()
                                + " x its "
                                + Files.size(archive)
                                + " bytes); refused as a possible archive bomb");
            }
            out.write(buffer, 0, r);
            copied += r;
        }
        return copied;
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

    private static long octal(String archive, byte[] header, int offset, int length)
            throws ArtifactFetchException {
        String s = text(header, offset, length).trim();
        try {
            long value = s.isEmpty() ? 0 : Long.parseLong(s, 8);
            if (value < 0) {
                throw new NumberFormatException("negative");
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ArtifactFetchException(archive + ": bad tar size field '" + s + "'", e);
        }
    }
}
