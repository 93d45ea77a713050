package io.moezoo.onnx.graph;

import io.moezoo.onnx.OnnxGraphException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A complete ONNX model in the default domain: one graph, its opset and metadata. Built by {@link
 * GraphBuilder}, which checks that every value is defined once before use.
 *
 * @param graphName the graph name
 * @param nodes the nodes in topological order
 * @param initializers the constant tensors
 * @param inputs the graph inputs
 * @param outputs the graph outputs
 * @param irVersion the ONNX IR version
 * @param opsetVersion the default-domain opset
 * @param producerName the producer
 * @param producerVersion the producer's version
 * @param docString a description
 * @param metadata {@code metadata_props}, in insertion order
 */
public record OnnxModel(
        String graphName,
        List<OnnxNode> nodes,
        List<OnnxTensor> initializers,
        List<OnnxValueInfo> inputs,
        List<OnnxValueInfo> outputs,
        long irVersion,
        long opsetVersion,
        String producerName,
        String producerVersion,
        String docString,
        Map<String, String> metadata) {

    /** The IR version written: 8 (ONNX 1.10+, read by every ONNX Runtime since 1.10). */
    public static final long IR_VERSION = 8;

    /** The default-domain opset written: 17. */
    public static final long OPSET = 17;

    /**
     * Copies the collections.
     *
     * @param graphName the graph name
     * @param nodes the nodes
     * @param initializers the initializers
     * @param inputs the inputs
     * @param outputs the outputs
     * @param irVersion the IR version
     * @param opsetVersion the opset
     * @param producerName the producer
     * @param producerVersion the producer's version
     * @param docString a description
     * @param metadata the metadata
     * @throws OnnxGraphException if the graph has no output
     */
    public OnnxModel {
        if (outputs == null || outputs.isEmpty()) {
            throw new OnnxGraphException("Graph '" + graphName + "' has no output");
        }
        nodes = List.copyOf(nodes);
        initializers = List.copyOf(initializers);
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        metadata = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /**
     * Serializes the model ({@code ModelProto}).
     *
     * @return the bytes of a {@code .onnx} file
     * @throws OnnxGraphException if the model exceeds protobuf's 2 GB limit
     */
    public byte[] toByteArray() {
        long total = 0;
        for (OnnxTensor t : initializers) {
            total += t.raw().length;
        }
        if (total > Integer.MAX_VALUE - (1L << 20)) {
            throw new OnnxGraphException(
                    "Graph '"
                            + graphName
                            + "' holds "
                            + total
                            + " bytes of initializers; models over 2 GB need ONNX external data,"
                            + " which this writer does not produce");
        }
        return ProtoEncoder.model(this);
    }

    /**
     * Writes the model file.
     *
     * @param file the {@code .onnx} file to write
     * @throws OnnxGraphException if the file cannot be written
     */
    public void write(Path file) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(file, toByteArray());
        } catch (IOException e) {
            throw new OnnxGraphException("Cannot write ONNX model " + file + ": " + e, e);
        }
    }
}
