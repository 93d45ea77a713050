package io.moezoo.spark;

import ai.djl.ndarray.NDManager;
import io.moezoo.translators.reward.PreferencePair;
import io.moezoo.translators.reward.PreferenceProbability;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Scores preference pairs with a zoo reward model (e.g. {@code dmoerm-brown}).
 *
 * <p>Input: string columns {@code prompt}, {@code chosen} and {@code rejected}; any other columns
 * are kept, these three included. Output: the input columns, then {@code probability} (float,
 * P(chosen preferred)), {@code chosen_score} and {@code rejected_score} (float, the rewards).
 */
public final class PreferenceScorer {

    private static final List<String> TEXT_COLUMNS = List.of("prompt", "chosen", "rejected");

    private final ZooModelSpec<PreferencePair, PreferenceProbability> spec;

    /**
     * Creates a scorer over a zoo model.
     *
     * @param modelId the zoo model id
     * @param arguments translator arguments
     */
    public PreferenceScorer(String modelId, Map<String, String> arguments) {
        spec =
                new ZooModelSpec<>(
                        modelId, PreferencePair.class, PreferenceProbability.class, arguments);
    }

    /**
     * Returns the model this scorer loads on each executor.
     *
     * @return the spec
     */
    public ZooModelSpec<PreferencePair, PreferenceProbability> spec() {
        return spec;
    }

    /**
     * Scores every row (lazily).
     *
     * @param pairs rows with {@code prompt}, {@code chosen} and {@code rejected}
     * @return the results
     * @throws MalformedDatasetException if a text column is missing or not a string
     */
    public Dataset<Row> score(Dataset<Row> pairs) {
        for (String column : TEXT_COLUMNS) {
            Columns.require(pairs, "reward", column, DataTypes.StringType);
        }
        return PartitionInference.map(pairs, spec, new Codec());
    }

    /**
     * Returns this family's row conversion (for {@link PartitionInference#inJvm}).
     *
     * @return the codec
     */
    static RowCodec<PreferencePair, PreferenceProbability> codec() {
        return new Codec();
    }

    private static final class Codec implements RowCodec<PreferencePair, PreferenceProbability> {

        private static final long serialVersionUID = 1L;

        @Override
        public List<String> droppedColumns() {
            return List.of();
        }

        @Override
        public List<StructField> resultFields() {
            return List.of(
                    DataTypes.createStructField("probability", DataTypes.FloatType, false),
                    DataTypes.createStructField("chosen_score", DataTypes.FloatType, false),
                    DataTypes.createStructField("rejected_score", DataTypes.FloatType, false));
        }

        @Override
        public PreferencePair input(Row row, NDManager manager) {
            String[] texts = new String[TEXT_COLUMNS.size()];
            for (int i = 0; i < texts.length; i++) {
                texts[i] = row.getAs(TEXT_COLUMNS.get(i));
                if (texts[i] == null) {
                    throw new MalformedDatasetException(
                            "Column '" + TEXT_COLUMNS.get(i) + "' is null in " + row);
                }
            }
            return new PreferencePair(texts[0], texts[1], texts[2]);
        }

        @Override
        public Object[] results(PreferenceProbability output) {
            return new Object[] {
                output.probability(), output.chosen().score(), output.rejected().score()
            };
        }
    }
}
