package io.moezoo.spark;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.TaskCompletionListener;

/**
 * One partition's results, computed as Spark pulls them: the partition's predictor is created on
 * the first row and closed after the last one, or when the task ends early (a {@code limit}, a
 * failure). Every row's NDArrays live in a manager closed after its prediction. PyTorch's grad mode
 * is off on the task thread meanwhile ({@link NoGradScope}).
 *
 * @param <I> the predictor's input type
 * @param <O> the predictor's output type
 */
final class PredictingIterator<I, O> implements Iterator<Row>, AutoCloseable {

    private final Iterator<Row> rows;
    private final ZooModelSpec<I, O> spec;
    private final RowCodec<I, O> codec;
    private final int[] kept;
    private Predictor<I, O> predictor;
    private String engine;
    private NoGradScope noGrad;
    private boolean closed;

    PredictingIterator(
            Iterator<Row> rows, ZooModelSpec<I, O> spec, RowCodec<I, O> codec, int[] kept) {
        this.rows = rows;
        this.spec = spec;
        this.codec = codec;
        this.kept = kept;
        TaskContext task = TaskContext.get();
        if (task != null) {
            task.addTaskCompletionListener((TaskCompletionListener) context -> close());
        }
    }

    /** {@inheritDoc} */
    @Override
    public boolean hasNext() {
        if (closed) {
            return false;
        }
        if (rows.hasNext()) {
            return true;
        }
        close();
        return false;
    }

    /** {@inheritDoc} */
    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException("The partition has no more rows");
        }
        Row row = rows.next();
        if (predictor == null) {
            ZooModel<I, O> model = ExecutorModels.get(spec);
            engine = model.getNDManager().getEngine().getEngineName();
            noGrad = NoGradScope.enter(model);
            predictor = model.newPredictor();
        }
        Object[] results;
        try (NDManager manager = NDManager.newBaseManager(engine)) { // the model's engine
            I input = codec.input(row, manager);
            results = codec.results(predictor.predict(input));
        } catch (TranslateException e) {
            throw new IllegalStateException(
                    spec.artifactId() + " failed on row " + row + ": " + e.getMessage(), e);
        }
        Object[] values = new Object[kept.length + results.length];
        for (int i = 0; i < kept.length; i++) {
            values[i] = row.get(kept[i]);
        }
        System.arraycopy(results, 0, values, kept.length, results.length);
        return RowFactory.create(values);
    }

    /** Closes the partition's predictor (the shared model stays loaded). */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            if (predictor != null) {
                predictor.close();
                predictor = null;
                noGrad.close();
            }
        }
    }
}
