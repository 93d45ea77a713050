package io.moezoo.zoo.repository;

import java.io.IOException;

/**
 * A zoo artifact or its metadata could not be fetched, verified or unpacked: HTTP error status, a
 * missing file, a truncated download, a sha1 mismatch, invalid metadata, or an archive entry that
 * would escape its directory. The message names the URL or file and what is wrong; the cache is
 * left as it was before the attempt.
 */
public class ArtifactFetchException extends IOException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message what failed and where
     */
    public ArtifactFetchException(String message) {
        super(message);
    }

    /**
     * Creates the exception with a cause.
     *
     * @param message what failed and where
     * @param cause the underlying error
     */
    public ArtifactFetchException(String message, Throwable cause) {
        super(message, cause);
    }
}
