package io.moezoo.onnx.moe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import io.moezoo.onnx.OnnxGraphException;
import io.moezoo.onnx.graph.OnnxTensor;

/**
 * A parameter's values copied to the host as float32, with the layout changes the exporter makes
 * once at export time (transposes, per-expert slices) so the graph needs none at run time.
 *
 * @param name the parameter name, for messages
 * @param dims the shape
 * @param values the row-major values
 */
public record ParameterData(String name, long[] dims, float[] values) {

    /**
     * Validates the size.
     *
     * @param name the name
     * @param dims the shape
     * @param values the values
     * @throws OnnxGraphException if the values do not fill the shape
     */
    public ParameterData {
        long count = 1;
        for (long d : dims) {
            count *= d;
        }
        if (count != values.length) {
            throw new OnnxGraphException(
                    "Parameter '" + name + "' has " + values.length + " values for " + count);
        }
        dims = dims.clone();
    }

    /**
     * Reads an initialized parameter (any float type) as float32.
     *
     * @param parameter the parameter
     * @return its values
     * @throws OnnxGraphException if the parameter is not initialized
     */
    public static ParameterData of(Parameter parameter) {
        if (parameter == null || !parameter.isInitialized()) {
            throw new OnnxGraphException(
                    "Parameter "
                            + (parameter == null ? "null" : "'" + parameter.getName() + "'")
                            + " is not initialized; initialize or load the block before export");
        }
        NDArray array = parameter.getArray();
        long[] dims = array.getShape().getShape();
        if (array.getDataType() == DataType.FLOAT32) {
            return new ParameterData(parameter.getName(), dims, array.toFloatArray());
        }
        try (NDManager scope = array.getManager().newSubManager()) {
            NDArray f = array.toType(DataType.FLOAT32, true);
            f.attach(scope);
            return new ParameterData(parameter.getName(), dims, f.toFloatArray());
        }
    }

    /**
     * Returns the shape.
     *
     * @return a copy of the dims
     */
    @Override
    public long[] dims() {
        return dims.clone();
    }

    /**
     * Swaps the last two axes.
     *
     * @return the data with shape {@code [..., B, A]} for {@code [..., A, B]}
     */
    public ParameterData transposeLast() {
        int rank = dims.length;
        if (rank < 2) {
            throw new OnnxGraphException("Cannot transpose rank-" + rank + " parameter " + name);
        }
        int a = (int) dims[rank - 2];
        int b = (int) dims[rank - 1];
        int batch = values.length / Math.max(1, a * b);
        float[] out = new float[values.length];
        for (int n = 0; n < batch; n++) {
            int base = n * a * b;
            for (int i = 0; i < a; i++) {
                for (int j = 0; j < b; j++) {
                    out[base + j * a + i] = values[base + i * b + j];
                }
            }
        }
        long[] t = dims.clone();
        t[rank - 2] = b;
        t[rank - 1] = a;
        return new ParameterData(name, t, out);
    }

    /**
     * Returns slice {@code index} of the first axis.
     *
     * @param index the index along axis 0
     * @return the slice, of rank one less
     */
    public ParameterData slice(int index) {
        int size = values.length / (int) dims[0];
        float[] out = new float[size];
        System.arraycopy(values, index * size, out, 0, size);
        long[] rest = java.util.Arrays.copyOfRange(dims, 1, dims.length);
        return new ParameterData(name + "[" + index + "]", rest, out);
    }

    /**
     * Returns the data as an initializer tensor.
     *
     * @param tensorName the value name
     * @return the tensor
     */
    public OnnxTensor tensor(String tensorName) {
        return OnnxTensor.floats(tensorName, dims, values);
    }
}
