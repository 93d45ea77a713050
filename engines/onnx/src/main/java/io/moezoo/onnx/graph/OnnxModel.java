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

    /** The most initializer bytes written inline (protobuf's 2 GB limit, less a margin). */
    private static final long INLINE_LIMIT = Integer.MAX_VALUE - (1L << 24);

    /** The alignment of tensors in an external data file. */
    private static final int ALIGNMENT = 4096;

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
     * @throws OnnxGraphException if the initializers exceed protobuf's 2 GB limit
     */
    public byte[] toByteArray() {
        long total = initializerBytes();
        if (total > INLINE_LIMIT) {
            throw new OnnxGraphException(
                    "Graph '"
                            + graphName
                            + "' holds "
                            + total
                            + " bytes of initializers, over protobuf's 2 GB limit for one"
                            + " message; write it with external data (write or"
                            + " writeWithExternalData)");
        }
        return ProtoEncoder.model(this);
    }

    /**
     * Writes the model file: inline when the initializers fit protobuf's 2 GB limit, otherwise with
     * every initializer of 1 KiB or more in an external data file beside it ({@link
     * #writeWithExternalData}).
     *
     * @param file the {@code .onnx} file to write
     * @throws OnnxGraphException if the file cannot be written
     */
    public void write(Path file) {
        if (initializerBytes() > INLINE_LIMIT) {
            writeWithExternalData(file, 1024);
            return;
        }
        try {
            createParent(file);
            Files.write(file, toByteArray());
        } catch (IOException e) {
            throw new OnnxGraphException("Cannot write ONNX model " + file + ": " + e, e);
        }
    }

    /**
     * Writes the model file with the initializers of at least {@code minBytes} bytes in an external
     * data file {@code <file name>.data} beside it (ONNX external data: {@code location}, {@code
     * offset}, {@code length}; offsets aligned to 4 KiB), so models over protobuf's 2 GB limit can
     * be written. ONNX Runtime finds the data file relative to the model file.
     *
     * @param file the {@code .onnx} file to write
     * @param minBytes the smallest initializer moved out (0 moves all)
     * @throws OnnxGraphException if the files cannot be written
     */
    public void writeWithExternalData(Path file, long minBytes) {
        String location = file.getFileName() + ".data";
        Path data = file.resolveSibling(location);
        java.util.Map<String, ProtoEncoder.ExternalRef> refs = new java.util.HashMap<>();
        try {
            createParent(file);
            try (java.io.OutputStream out =
                    new java.io.BufferedOutputStream(Files.newOutputStream(data), 1 << 20)) {
                long offset = 0;
                byte[] padding = new byte[ALIGNMENT];
                for (OnnxTensor t : initializers) {
                    if (t.raw().length < minBytes) {
                        continue;
                    }
                    long aligned = (offset + ALIGNMENT - 1) / ALIGNMENT * ALIGNMENT;
                    out.write(padding, 0, (int) (aligned - offset));
                    out.write(t.raw());
                    refs.put(
                            t.name(),
                            new ProtoEncoder.ExternalRef(location, aligned, t.raw().length));
                    offset = aligned + t.raw().length;
                }
            }
            long inline = initializerBytes();
            for (ProtoEncoder.ExternalRef r : refs.values()) {
                inline -= r.length();
            }
            if (inline > INLINE_LIMIT) {
                throw new OnnxGraphException(
                        "Graph '"
                                + graphName
                                + "' keeps "
                                + inline
                                + " bytes of initializers inline with minBytes "
                                + minBytes
                                + "; lower it");
            }
            Files.write(file, ProtoEncoder.model(this, refs));
        } catch (IOException e) {
            throw new OnnxGraphException("Cannot write ONNX model " + file + ": " + e, e);
        }
    }

    private long initializerBytes() {
        long total = 0;
        for (OnnxTensor t : initializers) {
            total += t.raw().length;
        }
        return total;
    }

    private static void createParent(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }
}
