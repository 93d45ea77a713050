package io.moezoo.onnx.graph;

import io.moezoo.onnx.OnnxGraphException;
import java.util.List;

/**
 * One operator application ({@code NodeProto}) in the default ONNX domain.
 *
 * @param name the node name, unique in the graph
 * @param opType the operator, e.g. {@code "MatMul"}
 * @param inputs the input value names; an empty string is an omitted optional input
 * @param outputs the output value names
 * @param attributes the attributes
 */
public record OnnxNode(
        String name,
        String opType,
        List<String> inputs,
        List<String> outputs,
        List<OnnxAttribute> attributes) {

    /**
     * Validates and copies the lists.
     *
     * @param name the node name
     * @param opType the operator
     * @param inputs the input names
     * @param outputs the output names
     * @param attributes the attributes
     * @throws OnnxGraphException if a field is missing or the node has no output
     */
    public OnnxNode {
        if (name == null || opType == null || opType.isEmpty()) {
            throw new OnnxGraphException("Node needs a name and an operator type");
        }
        if (inputs == null || outputs == null || outputs.isEmpty() || attributes == null) {
            throw new OnnxGraphException(
                    "Node '" + name + "' (" + opType + ") needs inputs and at least one output");
        }
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = List.copyOf(attributes);
    }
}
