package io.moezoo.engine.tensor;

import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.models.language.DecoderSpec;
import java.io.IOException;

/**
 * A validated checkpoint as the engine reads it: the decoder it describes, and its tensors by
 * Hugging Face key ({@code model.layers.0.self_attn.q_proj.weight}) in their stored format. A
 * safetensors directory and a GGUF file both present themselves this way; the GGUF reader maps
 * llama.cpp's names and layouts onto the Hugging Face ones.
 */
public interface TensorSource extends AutoCloseable {

    /**
     * Returns the decoder the config describes.
     *
     * @return the spec
     */
    DecoderSpec spec();

    /**
     * Whether a tensor exists.
     *
     * @param key the Hugging Face key
     * @return true if present
     */
    boolean contains(String key);

    /**
     * Returns a weight of two or more dimensions as a matrix of {@code prod(leading dims)} rows of
     * its last dimension, read in place: a stacked expert tensor {@code [E, R, C]} is {@code E·R}
     * rows, expert e being {@code rowRange(e·R, R)}.
     *
     * @param key the Hugging Face key
     * @param shape the expected shape, checked
     * @return the matrix
     * @throws MalformedCheckpointException if the tensor is missing or has another shape
     * @throws IOException if the file cannot be mapped
     */
    WeightMatrix matrix(String key, long... shape) throws MalformedCheckpointException, IOException;

    /**
     * Returns a small tensor (a norm's weight, a bias) as float32 values.
     *
     * @param key the Hugging Face key
     * @param shape the expected shape, checked
     * @return the values
     * @throws MalformedCheckpointException if the tensor is missing or has another shape
     * @throws IOException if the file cannot be read
     */
    float[] floats(String key, long... shape) throws MalformedCheckpointException, IOException;

    /**
     * Returns the bytes of all weight files.
     *
     * @return the total size
     */
    long fileBytes();

    /** Releases the mappings; matrices from this source must not be used afterwards. */
    @Override
    void close();
}
