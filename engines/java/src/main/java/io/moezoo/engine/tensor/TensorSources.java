package io.moezoo.engine.tensor;

import io.moezoo.formats.MalformedCheckpointException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Opens a checkpoint as a {@link TensorSource}, whichever form it has: the first {@link Opener}
 * that accepts the path opens it. A new checkpoint format is one class and one entry in {@link
 * #OPENERS}.
 */
public final class TensorSources {

    /** A checkpoint form. */
    public interface Opener {

        /**
         * Whether this form applies to a path.
         *
         * @param path a directory or file
         * @return true if this opener reads it
         */
        boolean accepts(Path path);

        /**
         * Validates and opens the checkpoint.
         *
         * @param path the directory or file
         * @return the source
         * @throws IOException if a file cannot be read
         * @throws MalformedCheckpointException if the checkpoint is invalid
         */
        TensorSource open(Path path) throws IOException, MalformedCheckpointException;
    }

    /** The registered forms, in order. */
    private static final List<Opener> OPENERS =
            List.of(
                    new Opener() {
                        @Override
                        public boolean accepts(Path path) {
                            return Files.isDirectory(path);
                        }

                        @Override
                        public TensorSource open(Path path)
                                throws IOException, MalformedCheckpointException {
                            return SafetensorsSource.open(path);
                        }
                    },
                    new Opener() {
                        @Override
                        public boolean accepts(Path path) {
                            return Files.isRegularFile(path)
                                    && path.getFileName().toString().endsWith(".gguf");
                        }

                        @Override
                        public TensorSource open(Path path)
                                throws IOException, MalformedCheckpointException {
                            return io.moezoo.engine.gguf.GgufSource.open(path);
                        }
                    });

    private TensorSources() {}

    /**
     * Opens a checkpoint.
     *
     * @param path a Hugging Face checkpoint directory (or another registered form)
     * @return the validated source
     * @throws IOException if a file cannot be read
     * @throws MalformedCheckpointException if the checkpoint is invalid or of no known form
     */
    public static TensorSource open(Path path) throws IOException, MalformedCheckpointException {
        for (Opener opener : OPENERS) {
            if (opener.accepts(path)) {
                return opener.open(path);
            }
        }
        throw new MalformedCheckpointException(
                path
                        + ": not a checkpoint the MoeJava engine reads (a Hugging Face directory"
                        + " with config.json and safetensors, or a .gguf file)");
    }
}
