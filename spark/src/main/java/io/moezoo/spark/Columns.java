package io.moezoo.spark;

import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructField;

/**
 * Checks, on the driver and before any task runs, that a data set has the columns a family reads.
 */
public final class Columns {

    private Columns() {}

    /**
     * Requires a column of one of the given types.
     *
     * @param data the data set
     * @param family the family reading it (for the message)
     * @param name the column
     * @param types the accepted types
     * @throws MalformedDatasetException naming the column, its type and the data set's columns
     */
    public static void require(Dataset<Row> data, String family, String name, DataType... types) {
        List<String> names = Arrays.asList(data.schema().fieldNames());
        if (!names.contains(name)) {
            throw new MalformedDatasetException(
                    "The "
                            + family
                            + " input needs a column '"
                            + name
                            + "' of type "
                            + describe(types)
                            + "; the data set has "
                            + names);
        }
        StructField field = data.schema().apply(name);
        for (DataType type : types) {
            if (type.sameType(field.dataType())) {
                return;
            }
        }
        throw new MalformedDatasetException(
                "The "
                        + family
                        + " input column '"
                        + name
                        + "' must be "
                        + describe(types)
                        + ", got "
                        + field.dataType().simpleString());
    }

    private static String describe(DataType... types) {
        return String.join(
                " or ", Arrays.stream(types).map(DataType::simpleString).toArray(String[]::new));
    }
}
