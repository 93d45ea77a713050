package io.moezoo.onnx.graph;

import io.moezoo.onnx.OnnxGraphException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds one ONNX graph: inputs, initializers and nodes get unique names, and every node input must
 * already be defined (inputs, initializers or earlier node outputs), so the node list is in
 * topological order by construction.
 *
 * <pre>{@code
 * GraphBuilder g = new GraphBuilder("affine");
 * String x = g.input("x", OnnxDataType.FLOAT, "batch", 3);
 * String w = g.initializer(OnnxTensor.floats("w", new long[] {3, 2}, weights));
 * String y = g.op("MatMul", List.of(x, w));
 * g.output(y, "y", OnnxDataType.FLOAT, "batch", 2);
 * g.build().write(file);
 * }</pre>
 *
 * <p>Not thread-safe.
 */
public final class GraphBuilder {

    private final String graphName;
    private final List<OnnxNode> nodes = new ArrayList<>();
    private final List<OnnxTensor> initializers = new ArrayList<>();
    private final List<OnnxValueInfo> inputs = new ArrayList<>();
    private final List<OnnxValueInfo> outputs = new ArrayList<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final Set<String> defined = new HashSet<>();
    private final Map<String, Integer> counters = new HashMap<>();
    private final Map<String, String> constantCache = new HashMap<>();
    private final Map<String, OnnxTensor> sharedTensors = new HashMap<>();
    private final Map<String, String> sharedValues = new HashMap<>();
    private String docString = "";

    /**
     * Starts a graph.
     *
     * @param graphName the graph name
     * @throws OnnxGraphException if the name is empty
     */
    public GraphBuilder(String graphName) {
        if (graphName == null || graphName.isEmpty()) {
            throw new OnnxGraphException("Graph name must not be empty");
        }
        this.graphName = graphName;
    }

    /**
     * Returns a name not used yet, derived from a prefix.
     *
     * @param prefix the prefix
     * @return {@code prefix} if free, else {@code prefix_N}
     */
    public String uniqueName(String prefix) {
        String base = prefix == null || prefix.isEmpty() ? "v" : prefix;
        String name = base;
        while (defined.contains(name)) {
            int n = counters.merge(base, 1, Integer::sum);
            name = base + "_" + n;
        }
        return name;
    }

    private void define(String name) {
        if (!defined.add(name)) {
            throw new OnnxGraphException(
                    "Value '" + name + "' is defined twice in graph '" + graphName + "'");
        }
    }

    /**
     * Declares a graph input.
     *
     * @param name the input name (must be unused)
     * @param type the element type
     * @param dims numbers or symbolic names
     * @return the name
     */
    public String input(String name, OnnxDataType type, Object... dims) {
        OnnxValueInfo info = OnnxValueInfo.of(name, type, dims);
        define(name);
        inputs.add(info);
        return name;
    }

    /**
     * Adds an initializer under a unique name derived from the tensor's name.
     *
     * @param tensor the constant tensor
     * @return the value name it got
     */
    public String initializer(OnnxTensor tensor) {
        String name = uniqueName(tensor.name());
        define(name);
        initializers.add(tensor.name().equals(name) ? tensor : tensor.withName(name));
        return name;
    }

    /**
     * Adds an initializer, or returns the one an earlier call added for a tensor of the same name,
     * type, shape and values: a subgraph written twice (a frozen model run on two inputs) then
     * stores its weights once. A tensor of the same name but other values gets its own initializer.
     *
     * @param tensor the constant tensor
     * @return the value name
     */
    public String sharedInitializer(OnnxTensor tensor) {
        OnnxTensor earlier = sharedTensors.get(tensor.name());
        if (earlier != null && earlier.equals(tensor)) {
            return sharedValues.get(tensor.name());
        }
        String name = initializer(tensor);
        if (earlier == null) {
            sharedTensors.put(tensor.name(), tensor);
            sharedValues.put(tensor.name(), name);
        }
        return name;
    }

    /**
     * Returns an int64 vector constant, shared by every use of the same values.
     *
     * @param values the values
     * @return the value name
     */
    public String ints(long... values) {
        String key = "i" + Arrays.toString(values);
        return constantCache.computeIfAbsent(
                key, k -> initializer(OnnxTensor.vector("const_i64", values)));
    }

    /**
     * Returns a float scalar constant, shared by every use of the same value.
     *
     * @param value the value
     * @return the value name
     */
    public String scalar(float value) {
        String key = "f" + Float.floatToIntBits(value);
        return constantCache.computeIfAbsent(
                key, k -> initializer(OnnxTensor.scalar("const_f32", value)));
    }

    /**
     * Returns an int64 scalar constant, shared by every use of the same value.
     *
     * @param value the value
     * @return the value name
     */
    public String scalarInt(long value) {
        String key = "s" + value;
        return constantCache.computeIfAbsent(
                key, k -> initializer(OnnxTensor.longs("const_i64", new long[0], value)));
    }

    /**
     * Adds a node with one output.
     *
     * @param opType the operator
     * @param in the input names ("" for an omitted optional input)
     * @param attributes the attributes
     * @return the output name
     */
    public String op(String opType, List<String> in, OnnxAttribute... attributes) {
        return ops(opType, 1, in, attributes)[0];
    }

    /**
     * Adds a node with several outputs.
     *
     * @param opType the operator
     * @param outputCount the number of outputs
     * @param in the input names ("" for an omitted optional input)
     * @param attributes the attributes
     * @return the output names
     * @throws OnnxGraphException if an input is not defined yet
     */
    public String[] ops(
            String opType, int outputCount, List<String> in, OnnxAttribute... attributes) {
        for (String name : in) {
            if (!name.isEmpty() && !defined.contains(name)) {
                throw new OnnxGraphException(
                        "Node "
                                + opType
                                + " uses '"
                                + name
                                + "', which is not defined yet in graph '"
                                + graphName
                                + "'");
            }
        }
        String nodeName = uniqueName(opType.toLowerCase(java.util.Locale.ROOT));
        define(nodeName);
        String[] out = new String[outputCount];
        for (int i = 0; i < outputCount; i++) {
            out[i] = uniqueName(nodeName + "_out" + i);
            define(out[i]);
        }
        nodes.add(new OnnxNode(nodeName, opType, in, List.of(out), List.of(attributes)));
        return out;
    }

    /**
     * Declares a graph output, renaming the value through an {@code Identity} node.
     *
     * @param value the value to expose
     * @param name the output name (must be unused)
     * @param type the element type
     * @param dims numbers or symbolic names
     * @throws OnnxGraphException if the value is undefined or the name is taken
     */
    public void output(String value, String name, OnnxDataType type, Object... dims) {
        if (!defined.contains(value)) {
            throw new OnnxGraphException(
                    "Output '" + name + "' refers to undefined value '" + value + "'");
        }
        OnnxValueInfo info = OnnxValueInfo.of(name, type, dims);
        define(name);
        nodes.add(
                new OnnxNode(
                        uniqueName("identity_" + name),
                        "Identity",
                        List.of(value),
                        List.of(name),
                        List.of()));
        outputs.add(info);
    }

    /**
     * Adds a {@code metadata_props} entry.
     *
     * @param key the key
     * @param value the value
     * @return this builder
     */
    public GraphBuilder metadata(String key, String value) {
        metadata.put(key, value);
        return this;
    }

    /**
     * Sets the model's description.
     *
     * @param doc the description
     * @return this builder
     */
    public GraphBuilder docString(String doc) {
        docString = doc == null ? "" : doc;
        return this;
    }

    /**
     * Returns the model (IR {@value OnnxModel#IR_VERSION}, opset {@value OnnxModel#OPSET}).
     *
     * @return the model
     * @throws OnnxGraphException if the graph has no output
     */
    public OnnxModel build() {
        return new OnnxModel(
                graphName,
                nodes,
                initializers,
                inputs,
                outputs,
                OnnxModel.IR_VERSION,
                OnnxModel.OPSET,
                "moe-zoo",
                "0.1.0",
                docString,
                metadata);
    }
}
