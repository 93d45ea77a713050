package io.moezoo.zoo.repository;

import ai.djl.util.Progress;
import ai.djl.util.Utils;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.URL;
import java.net.URLConnection;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Reads one file from a repository URL ({@code file:}, {@code jar:}, {@code http:}, {@code
 * https:}), checking the HTTP status, the byte count and the sha1 while it streams.
 *
 * <p>DJL's offline mode ({@code -Dai.djl.offline=true} or {@code DJL_OFFLINE}) refuses http(s)
 * except to a loopback address: a mirror on this machine is not the network.
 */
final class Download {

    private static final int TIMEOUT_MILLIS = 30_000;
    private static final int BUFFER = 64 * 1024;

    private Download() {}

    /**
     * Opens a URL for reading.
     *
     * @param url the URL
     * @return the stream
     * @throws ArtifactFetchException on HTTP errors, missing files or offline mode
     */
    static InputStream open(URL url) throws IOException {
        String protocol = url.getProtocol().toLowerCase(Locale.ROOT);
        if (protocol.equals("http") || protocol.equals("https")) {
            if (Utils.isOfflineMode() && !isLoopback(url)) {
                throw new ArtifactFetchException(
                        url
                                + ": offline mode is on (ai.djl.offline / DJL_OFFLINE); only"
                                + " file:, jar: and loopback http(s) repositories can be used");
            }
            HttpURLConnection http = (HttpURLConnection) url.openConnection();
            http.setConnectTimeout(TIMEOUT_MILLIS);
            http.setReadTimeout(TIMEOUT_MILLIS);
            http.setInstanceFollowRedirects(true);
            int status;
            try {
                status = http.getResponseCode();
            } catch (IOException e) {
                throw new ArtifactFetchException(url + ": cannot connect (" + e + ")", e);
            }
            if (status != HttpURLConnection.HTTP_OK) {
                http.disconnect();
                throw new ArtifactFetchException(
                        url + ": HTTP " + status + " " + (status == 404 ? "not found" : "error"));
            }
            return http.getInputStream();
        }
        if (!protocol.equals("file") && !protocol.equals("jar")) {
            throw new ArtifactFetchException(url + ": unsupported protocol " + protocol);
        }
        try {
            URLConnection connection = url.openConnection();
            connection.setUseCaches(false); // a cached JarFile would outlive a rewritten jar
            return connection.getInputStream();
        } catch (FileNotFoundException | NoSuchFileException e) {
            throw new ArtifactFetchException(url + ": not found", e);
        }
    }

    /**
     * Reads a small text resource (metadata) completely, at most {@code limit} bytes.
     *
     * @param url the URL
     * @param limit the largest size accepted
     * @return the bytes
     * @throws IOException if it cannot be read or is too large
     */
    static byte[] readSmall(URL url, int limit) throws IOException {
        try (InputStream in = open(url)) {
            byte[] bytes = in.readNBytes(limit + 1);
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
        try (InputStream in = open(url);
                OutputStream out = Files.newOutputStream(target)) {
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
