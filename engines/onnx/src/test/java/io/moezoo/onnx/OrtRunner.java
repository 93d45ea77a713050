package io.moezoo.onnx;

import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.translate.NoopTranslator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Runs an ONNX file through DJL's OnnxRuntime engine (test helper). */
public final class OrtRunner implements AutoCloseable {

    private final Model model;
    private final Predictor<NDList, NDList> predictor;

    /**
     * Loads a model file.
     *
     * @param file the {@code .onnx} file
     * @throws Exception if ONNX Runtime rejects it
     */
    public OrtRunner(Path file) throws Exception {
        model = Model.newInstance("onnx-test", "OnnxRuntime");
        String name = file.getFileName().toString().replaceFirst("\\.onnx$", "");
        model.load(file.getParent(), name);
        predictor = model.newPredictor(new NoopTranslator());
    }

    /**
     * Runs the model on inputs made in an ONNX Runtime manager; returns every output as floats.
     *
     * @param inputs makes the inputs in the given manager
     * @return the outputs as float arrays
     * @throws Exception if inference fails
     */
    public List<float[]> run(Function<NDManager, NDList> inputs) throws Exception {
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDList out = predictor.predict(inputs.apply(manager));
            List<float[]> result = new ArrayList<>();
            for (NDArray a : out) {
                result.add(a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray());
            }
            out.close();
            return result;
        }
    }

    /**
     * Returns the model's {@code metadata_props} as ONNX Runtime reads them.
     *
     * @return the custom metadata
     */
    public java.util.Map<String, String> metadata() {
        return model.getBlock().getCustomMetadata();
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }

    /**
     * Returns the largest absolute difference.
     *
     * @param a one array
     * @param b another of the same length
     * @return max |a - b|
     */
    public static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("length " + a.length + " != " + b.length);
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }
}
