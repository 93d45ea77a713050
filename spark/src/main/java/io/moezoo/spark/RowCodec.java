package io.moezoo.spark;

import ai.djl.ndarray.NDManager;
import java.io.Serializable;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructField;

/**
 * How one family turns a row into a predictor input and a prediction into result columns.
 * Serialisable: it travels to the executors in the task closure.
 *
 * @param <I> the predictor's input type
 * @param <O> the predictor's output type
 */
public interface RowCodec<I, O> extends Serializable {

    /**
     * Returns the input columns the output leaves out (large model inputs such as pixels).
     *
     * @return column names
     */
    List<String> droppedColumns();

    /**
     * Returns the result columns appended to the kept input columns.
     *
     * @return the fields, in order
     */
    List<StructField> resultFields();

    /**
     * Builds the predictor input of a row.
     *
     * @param row the input row
     * @param manager a manager closed after the row's prediction, for any NDArray the input needs
     * @return the input
     * @throws MalformedDatasetException if the row's values cannot be an input, naming the row
     */
    I input(Row row, NDManager manager);

    /**
     * Returns the values of the result columns, in {@link #resultFields()} order (arrays as Java
     * arrays, read before the row's manager is closed).
     *
     * @param output the prediction
     * @return the values
     */
    Object[] results(O output);
}
