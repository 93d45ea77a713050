package io.moezoo.zoo.checkpoint;

import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;

/**
 * A validated safetensors header entry.
 *
 * @param file the file holding the tensor
 * @param name the tensor key
 * @param dtype the stored dtype
 * @param shape the shape
 * @param begin the absolute byte offset of the data in the file
 * @param length the data length in bytes
 */
public record TensorInfo(
        Path file, String name, TensorDType dtype, Shape shape, long begin, long length) {}
