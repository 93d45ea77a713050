package io.moezoo.spark;

import ai.djl.ndarray.NDManager;
import io.moezoo.translators.text.GeneratedText;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;

/**
 * Continues prompts with a zoo language model (e.g. {@code brown-moe}).
 *
 * <p>Input: a string column {@code prompt}; any other columns are kept, the prompt included.
 * Output: the input columns, then {@code text} (string, the continuation), {@code token_ids} (array
 * of long) and {@code stopped_by_token} (boolean). Generation follows the translator arguments
 * ({@code maxNewTokens}, {@code temperature} (0 = greedy), {@code seed}, ...); every prompt is
 * generated alone, as a single-JVM predictor does it.
 */
public final class TextGenerator {

    /** The input column. */
    public static final String PROMPT = "prompt";

    private final ZooModelSpec<String, GeneratedText> spec;

    /**
     * Creates a generator over a zoo model.
     *
     * @param modelId the zoo model id
     * @param arguments translator arguments
     */
    public TextGenerator(String modelId, Map<String, String> arguments) {
        spec = new ZooModelSpec<>(modelId, String.class, GeneratedText.class, arguments);
    }

    /**
     * Returns the model this generator loads on each executor.
     *
     * @return the spec
     */
    public ZooModelSpec<String, GeneratedText> spec() {
        return spec;
    }

    /**
     * Generates for every row (lazily).
     *
     * @param prompts rows with a {@code prompt} column
     * @return the results
     * @throws MalformedDatasetException if {@code prompt} is missing or not a string
     */
    public Dataset<Row> generate(Dataset<Row> prompts) {
        Columns.require(prompts, "language", PROMPT, DataTypes.StringType);
        return PartitionInference.map(prompts, spec, new Codec());
    }

    /**
     * Returns this family's row conversion (for {@link PartitionInference#inJvm}).
     *
     * @return the codec
     */
    static RowCodec<String, GeneratedText> codec() {
        return new Codec();
    }

    private static final class Codec implements RowCodec<String, GeneratedText> {

        private static final long serialVersionUID = 1L;

        @Override
        public List<String> droppedColumns() {
            return List.of();
        }

        @Override
        public List<StructField> resultFields() {
            return List.of(
                    DataTypes.createStructField("text", DataTypes.StringType, false),
                    DataTypes.createStructField(
                            "token_ids", DataTypes.createArrayType(DataTypes.LongType), false),
                    DataTypes.createStructField("stopped_by_token", DataTypes.BooleanType, false));
        }

        @Override
        public String input(Row row, NDManager manager) {
            String prompt = row.getAs(PROMPT);
            if (prompt == null) {
                throw new MalformedDatasetException("Column 'prompt' is null in " + row);
            }
            return prompt;
        }

        @Override
        public Object[] results(GeneratedText output) {
            long[] ids = output.tokenIds();
            Long[] boxed = new Long[ids.length];
            for (int i = 0; i < ids.length; i++) {
                boxed[i] = ids[i];
            }
            return new Object[] {output.text(), boxed, output.stoppedByToken()};
        }
    }
}
