package io.moezoo.zoo.repository;

import ai.djl.util.Progress;
import ai.djl.util.Utils;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.MalformedURLException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Reads one file from a repository URL ({@code file:}, {@code jar:}, {@code http:}, {@code
 * https:}), checking the HTTP status, the byte count and the sha1 while it streams, under the
 * {@link TransferLimits}: a connection timeout, an overall deadline and a minimum throughput, both
 * checked at every read (a read that blocks for longer than the throughput window or the connection
 * timeout is abandoned by the socket's read timeout).
 *
 * <p>HTTP redirects are followed here, not by the JDK, so that every hop is checked: at most {@link
 * TransferLimits#maxRedirects()}, http(s) only, never from https down to http, and in offline mode
 * loopback only. A {@code file:} URL must name a regular file (not a device, FIFO or directory).
 *
 * <p>DJL's offline mode ({@code -Dai.djl.offline=true} or {@code DJL_OFFLINE}) refuses http(s)
 * except to a loopback address: a mirror on this machine is not the network.
 */
final class Download {

    private static final int BUFFER = 64 * 1024;

    private Download() {}

    /**
     * Opens a URL for reading under the transfer limits.
     *
     * @param url the URL
     * @param deadline the overall deadline of this file
     * @return the stream; reads fail with {@link ArtifactFetchException} once a limit is broken
     * @throws ArtifactFetchException on HTTP errors, missing files, bad redirects or offline mode
     */
    static Transfer open(URL url, Duration deadline) throws IOException {
        TransferLimits limits = TransferLimits.fromSystemProperties();
        String protocol = url.getProtocol().toLowerCase(Locale.ROOT);
        if (protocol.equals("http") || protocol.equals("https")) {
            return openHttp(url, limits, deadline);
        }
        if (protocol.equals("file")) {
            Path file = fileOf(url);
            if (!Files.isRegularFile(file)) {
                throw new ArtifactFetchException(
                        url
                                + (Files.exists(file)
                                        ? ": not a regular file; refused"
                                        : ": not found"));
            }
            return new Transfer(Files.newInputStream(file), url, Files.size(file), deadline);
        }
        if (!protocol.equals("jar")) {
            throw new ArtifactFetchException(url + ": unsupported protocol " + protocol);
        }
        try {
            URLConnection connection = url.openConnection();
            connection.setUseCaches(false); // a cached JarFile would outlive a rewritten jar
            return new Transfer(
                    connection.getInputStream(), url, connection.getContentLengthLong(), deadline);
        } catch (FileNotFoundException | NoSuchFileException e) {
            throw new ArtifactFetchException(url + ": not found", e);
        }
    }

    private static Transfer openHttp(URL first, TransferLimits limits, Duration deadline)
            throws IOException {
        long timeout =
                Math.min(
                        limits.connectTimeout().toMillis(),
                        Math.min(limits.window().toMillis(), deadline.toMillis()));
        URL url = first;
        for (int hop = 0; ; hop++) {
            checkHost(first, url);
            HttpURLConnection http = (HttpURLConnection) url.openConnection();
            http.setConnectTimeout(
                    (int) Math.min(Integer.MAX_VALUE, limits.connectTimeout().toMillis()));
            http.setReadTimeout((int) Math.min(Integer.MAX_VALUE, timeout));
            http.setInstanceFollowRedirects(false);
            http.setUseCaches(false);
            int status;
            try {
                status = http.getResponseCode();
            } catch (IOException e) {
                http.disconnect();
                throw new ArtifactFetchException(first + ": cannot connect (" + e + ")", e);
            }
            if (status >= 300 && status < 400 && status != 304) {
                String location = http.getHeaderField("Location");
                http.disconnect();
                if (hop >= limits.maxRedirects()) {
                    throw new ArtifactFetchException(
                            first
                                    + ": more than "
                                    + limits.maxRedirects()
                                    + " redirects (moezoo.download.maxRedirects); refused");
                }
                url = redirect(first, url, location);
                continue;
            }
            if (status != HttpURLConnection.HTTP_OK) {
                http.disconnect();
                throw new ArtifactFetchException(
                        (url.equals(first)
                                        ? first.toString()
                                        : first + " (redirected to " + url + ")")
                                + ": HTTP "
                                + status
                                + " "
                                + (status == 404 ? "not found" : "error"));
            }
            return new Transfer(
                    http.getInputStream(), first, http.getContentLengthLong(), deadline);
        }
    }

    private static URL redirect(URL first, URL from, String location)
            throws ArtifactFetchException {
        if (location == null || location.isBlank()) {
            throw new ArtifactFetchException(first + ": redirect without a Location");
        }
        URL to;
        try {
            to = from.toURI().resolve(location.trim()).toURL();
        } catch (URISyntaxException | MalformedURLException | IllegalArgumentException e) {
            throw new ArtifactFetchException(
                    first + ": invalid redirect to '" + MetadataRules.printable(location) + "'", e);
        }
        String scheme = to.getProtocol().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new ArtifactFetchException(
                    first + ": redirect to " + scheme + ": (" + to + ") refused");
        }
        if (from.getProtocol().equalsIgnoreCase("https") && scheme.equals("http")) {
            throw new ArtifactFetchException(
                    first + ": redirect from https down to http (" + to + ") refused");
        }
        return to;
    }

    private static void checkHost(URL first, URL url) throws ArtifactFetchException {
        if (Utils.isOfflineMode() && !isLoopback(url)) {
            throw new ArtifactFetchException(
                    first
                            + (url.equals(first) ? "" : " (redirected to " + url + ")")
                            + ": offline mode is on (ai.djl.offline / DJL_OFFLINE); only"
                            + " file:, jar: and loopback http(s) repositories can be used");
        }
    }

    private static Path fileOf(URL url) throws ArtifactFetchException {
        try {
            return Paths.get(url.toURI());
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new ArtifactFetchException(url + ": not a valid file URL", e);
        }
    }

    /**
     * Reads a small text resource (metadata) completely, at most {@code limit} bytes, within the
     * metadata deadline.
     *
     * @param url the URL
     * @param limit the largest size accepted
     * @return the bytes
     * @throws IOException if it cannot be read, is too large or too slow
     */
    static byte[] readSmall(URL url, int limit) throws IOException {
        Duration deadline = TransferLimits.fromSystemProperties().metadataDeadline();
        try (Transfer in = open(url, deadline)) {
            if (in.announcedLength() > limit) {
                throw new ArtifactFetchException(url + ": larger than " + limit + " bytes");
            }
            byte[] bytes;
            try {
                bytes = in.readNBytes(limit + 1);
            } catch (ArtifactFetchException e) {
                throw e;
            } catch (IOException e) {
                throw new ArtifactFetchException(url + ": read failed (" + e + ")", e);
            }
            if (bytes.length > limit) {
                throw new ArtifactFetchException(url + ": larger than " + limit + " bytes");
            }
            return bytes;
        }
    }

    /**
     * Copies a URL into a new file, verifying its size and sha1.
     *
     * @param url the source
     * @param target the file to create (must not exist)
     * @param expectedSize the byte count from the metadata, or a value ≤ 0 to skip the check
     * @param expectedSha1 the hex sha1 from the metadata
     * @param progress receives the number of bytes read, may be null
     * @throws ArtifactFetchException if the download fails, is truncated or has another sha1
     */
    static void toFile(
            URL url, Path target, long expectedSize, String expectedSha1, Progress progress)
            throws IOException {
        MessageDigest sha1 = sha1();
        long count = 0;
        Duration deadline = TransferLimits.fromSystemProperties().fileDeadline();
        try (Transfer in = open(url, deadline);
                OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE_NEW)) {
            if (expectedSize > 0 && in.announcedLength() > expectedSize) {
                throw new ArtifactFetchException(
                        url
                                + ": announces "
                                + in.announcedLength()
                                + " bytes, more than the "
                                + expectedSize
                                + " in the metadata");
            }
            byte[] buffer = new byte[BUFFER];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                sha1.update(buffer, 0, n);
                count += n;
                if (expectedSize > 0 && count > expectedSize) {
                    throw new ArtifactFetchException(
                            url + ": more bytes than the " + expectedSize + " in the metadata");
                }
                if (progress != null) {
                    progress.increment(n);
                }
            }
        } catch (ArtifactFetchException e) {
            throw e;
        } catch (IOException e) {
            throw new ArtifactFetchException(
                    url + ": download failed after " + count + " bytes", e);
        }
        if (expectedSize > 0 && count != expectedSize) {
            throw new ArtifactFetchException(
                    url + ": truncated download, " + count + " of " + expectedSize + " bytes");
        }
        String actual = HexFormat.of().formatHex(sha1.digest());
        if (!actual.equalsIgnoreCase(expectedSha1)) {
            throw new ArtifactFetchException(
                    url + ": sha1 mismatch, expected " + expectedSha1 + " but got " + actual);
        }
    }

    /**
     * Returns the hex sha1 of a file.
     *
     * @param file the file
     * @return lower-case hex digest
     * @throws IOException if it cannot be read
     */
    static String sha1(Path file) throws IOException {
        MessageDigest sha1 = sha1();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[BUFFER];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                sha1.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha1.digest());
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JVM has no SHA-1", e);
        }
    }

    private static boolean isLoopback(URL url) {
        try {
            for (InetAddress address : InetAddress.getAllByName(url.getHost())) {
                if (!address.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
