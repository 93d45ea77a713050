package io.moezoo.engine.model;

/** Element-wise helpers on row-major float32 activations, in the references' arithmetic. */
final class Vectors {

    private Vectors() {}

    /**
     * RMSNorm of each {@code weight.length}-wide group of x, in place: \(x \cdot w /
     * \sqrt{\overline{x^2} + \epsilon}\) with the mean accumulated in double.
     */
    static void rmsNorm(float[] x, int offset, int length, float[] weight, float eps) {
        int width = weight.length;
        for (int from = offset; from < offset + length; from += width) {
            double squares = 0;
            for (int i = 0; i < width; i++) {
                squares += x[from + i] * x[from + i];
            }
            float inverse = (float) (1 / Math.sqrt((float) (squares / width) + eps));
            for (int i = 0; i < width; i++) {
                x[from + i] = x[from + i] * inverse * weight[i];
            }
        }
    }

    /** RMSNorm into a new array. */
    static float[] rmsNormed(float[] x, float[] weight, float eps) {
        float[] y = x.clone();
        rmsNorm(y, 0, y.length, weight, eps);
        return y;
    }

    /** A copy of {@code length} values from {@code from}. */
    static float[] slice(float[] x, int from, int length) {
        float[] y = new float[length];
        System.arraycopy(x, from, y, 0, length);
        return y;
    }

    /** \(\sigma(x) = 1 / (1 + e^{-x})\). */
    static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }

    /** \(\mathrm{silu}(g) \cdot u\) for n values. */
    static void swiGlu(
            float[] gate,
            int gateOffset,
            float[] up,
            int upOffset,
            float[] out,
            int outOffset,
            int n) {
        for (int i = 0; i < n; i++) {
            float g = gate[gateOffset + i];
            out[outOffset + i] = sigmoid(g) * g * up[upOffset + i];
        }
    }

    /** Adds a bias to every row of {@code rows × bias.length} values. */
    static void addBias(float[] x, float[] bias, int rows) {
        if (bias == null) {
            return;
        }
        for (int r = 0; r < rows; r++) {
            for (int i = 0; i < bias.length; i++) {
                x[r * bias.length + i] += bias[i];
            }
        }
    }

    /** The softmax in double precision, rounded to float32. */
    static float[] softmax(float[] values) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : values) {
            max = Math.max(max, v);
        }
        double sum = 0;
        double[] e = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            e[i] = Math.exp(values[i] - max);
            sum += e[i];
        }
        float[] p = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            p[i] = (float) (e[i] / sum);
        }
        return p;
    }
}
