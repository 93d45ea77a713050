package io.moezoo.hf;

import ai.djl.ndarray.NDManager;
import io.moezoo.formats.Checkpoint;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.models.language.DecoderSpec;
import io.moezoo.models.language.MoeCausalLm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A Hugging Face checkpoint directory that {@link HfCheckpointLoader#inspect} has validated
 * completely (config, files, every tensor's key, shape and dtype) but whose weights are not read
 * yet: what {@code info} describes and what {@code logits} then {@link #load loads}, so both refuse
 * exactly the same checkpoints.
 */
public final class HfCheckpoint {

    private final Path directory;
    private final DecoderSpec spec;
    private final Checkpoint checkpoint;
    private final MoeCausalLm model;
    private final List<WeightSource> sources;
    private boolean loaded;

    HfCheckpoint(
            Path directory,
            DecoderSpec spec,
            Checkpoint checkpoint,
            MoeCausalLm model,
            List<WeightSource> sources) {
        this.directory = directory;
        this.spec = spec;
        this.checkpoint = checkpoint;
        this.model = model;
        this.sources = List.copyOf(sources);
    }

    /**
     * Returns the checkpoint directory.
     *
     * @return the directory
     */
    public Path directory() {
        return directory;
    }

    /**
     * Returns the decoder spec mapped from {@code config.json}.
     *
     * @return the spec
     */
    public DecoderSpec spec() {
        return spec;
    }

    /**
     * Returns the validated tensor files.
     *
     * @return the checkpoint
     */
    public Checkpoint checkpoint() {
        return checkpoint;
    }

    /**
     * Returns the number of stored weight values (FP8 block scales excluded).
     *
     * @return the parameter count
     */
    public long parameterCount() {
        long parameters = 0;
        for (String key : checkpoint.keys()) {
            if (!key.endsWith("_scale_inv")) {
                try {
                    parameters += checkpoint.shape(key).size();
                } catch (MalformedCheckpointException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return parameters;
    }

    /**
     * Reads the weights into the model (once).
     *
     * @param manager the manager that will own the model's parameters
     * @return the loaded model
     * @throws IOException if a file cannot be read
     * @throws MalformedCheckpointException if a file changed or a weight cannot be read
     * @throws IllegalStateException if it was loaded before
     */
    public synchronized MoeCausalLm load(NDManager manager)
            throws IOException, MalformedCheckpointException {
        if (loaded) {
            throw new IllegalStateException(directory + " is already loaded");
        }
        loaded = true;
        return HfCheckpointLoader.load(model, sources, checkpoint, manager);
    }
}
