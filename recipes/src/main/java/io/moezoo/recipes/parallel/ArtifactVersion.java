package io.moezoo.recipes.parallel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names the artifact a loaded zoo model came from: the version directory of DJL's cache entry
 * ({@code .../<version>/<name>/}) and the SHA-1 of its weights, so a trace (and the tables made
 * from it) says which weights it was recorded with even when a retrained artifact keeps its
 * version.
 */
public final class ArtifactVersion {

    private ArtifactVersion() {}

    /**
     * Describes the artifact in a model directory.
     *
     * @param modelPath the loaded model's directory
     * @return {@code "<version> (model.safetensors sha1 <12 hex digits>)"}, or the version alone
     *     when there is no {@code model.safetensors}
     */
    public static String of(Path modelPath) {
        Path parent = modelPath.toAbsolutePath().getParent();
        String version = parent == null ? "?" : parent.getFileName().toString();
        Path weights = modelPath.resolve("model.safetensors");
        if (!Files.isRegularFile(weights)) {
            return version;
        }
        return version + " (model.safetensors sha1 " + sha1(weights).substring(0, 12) + ")";
    }

    private static String sha1(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-1");
            byte[] buffer = new byte[1 << 16];
            for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            return "unreadable";
        }
    }
}
