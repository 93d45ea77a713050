package io.moezoo.zoo.repository;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes zip and tar archives by hand, so that tests can put any entry name, type or size in them
 * (the JDK's writers refuse some of what a hostile archive holds).
 */
final class TestArchives {

    private TestArchives() {}

    /** One entry: a name, a tar type flag ('0' file, '5' directory, '2' symlink) and content. */
    record Entry(String name, char type, byte[] content) {
        static Entry file(String name, byte[] content) {
            return new Entry(name, '0', content);
        }

        static Entry file(String name, String content) {
            return file(name, content.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * A zip archive of file entries (directories when a name ends with '/').
     *
     * @param entries the entries, in order (names may repeat)
     * @return the archive bytes
     */
    static byte[] zip(Entry... entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Entry e : entries) {
                zip.putNextEntry(new ZipEntry(e.name()));
                zip.write(e.content());
                zip.closeEntry();
            }
        } catch (java.util.zip.ZipException e) {
            throw new IOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * A zip archive with two entries of the same name. The JDK's writer refuses duplicates, so the
     * second entry is written under the upper-case name and patched back in the bytes (zip CRCs
     * cover the data, not the names).
     *
     * @param name the repeated name (ASCII)
     * @return the archive bytes with two entries of that name
     */
    static byte[] zipWithRepeatedName(String name) throws IOException {
        String other = name.toUpperCase(Locale.ROOT);
        if (other.equals(name)) {
            throw new IllegalArgumentException("name needs lower-case letters: " + name);
        }
        byte[] archive = zip(Entry.file(name, "first"), Entry.file(other, "second"));
        byte[] from = other.getBytes(StandardCharsets.US_ASCII);
        byte[] to = name.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i + from.length <= archive.length; i++) {
            if (java.util.Arrays.equals(archive, i, i + from.length, from, 0, from.length)) {
                System.arraycopy(to, 0, archive, i, to.length);
            }
        }
        return archive;
    }

    /**
     * A ustar archive.
     *
     * @param entries the entries, in order
     * @return the archive bytes
     */
    static byte[] tar(Entry... entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Entry e : entries) {
            byte[] data = e.type() == '0' ? e.content() : new byte[0];
            byte[] header = new byte[512];
            byte[] n = e.name().getBytes(StandardCharsets.UTF_8);
            System.arraycopy(n, 0, header, 0, Math.min(100, n.length));
            put(header, 100, "0000644\0");
            put(header, 108, "0000000\0");
            put(header, 116, "0000000\0");
            put(header, 124, String.format(Locale.ROOT, "%011o\0", data.length));
            put(header, 136, "00000000000\0");
            header[156] = (byte) e.type();
            if (e.type() == '2') {
                byte[] target = e.content();
                System.arraycopy(target, 0, header, 157, Math.min(100, target.length));
            }
            put(header, 257, "ustar\0");
            put(header, 263, "00");
            for (int i = 148; i < 156; i++) {
                header[i] = ' ';
            }
            long sum = 0;
            for (byte b : header) {
                sum += b & 0xff;
            }
            put(header, 148, String.format(Locale.ROOT, "%06o\0 ", sum));
            out.write(header);
            out.write(data);
            out.write(new byte[(512 - data.length % 512) % 512]);
        }
        out.write(new byte[1024]);
        return out.toByteArray();
    }

    /**
     * Gzips bytes.
     *
     * @param data the bytes
     * @return the gzip stream
     */
    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(data);
        }
        return bytes.toByteArray();
    }

    private static void put(byte[] header, int offset, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(b, 0, header, offset, b.length);
    }
}
