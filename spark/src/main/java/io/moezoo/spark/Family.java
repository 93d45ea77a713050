package io.moezoo.spark;

import io.moezoo.zoo.ZooCatalog;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/** The zoo's model families a Spark job can run, with each one's default model and API. */
public enum Family {
    /** Grayscale image classification ({@link ImageClassifier}). */
    VISION("vision", "vit-moe-fashion-mnist"),
    /** Univariate forecasting ({@link Forecaster}). */
    TIME_SERIES("time-series", "time-moe-vega"),
    /** Preference scoring of response pairs ({@link PreferenceScorer}). */
    REWARD("reward", "dmoerm-brown"),
    /** Text generation ({@link TextGenerator}). */
    LANGUAGE("language", "brown-moe");

    private final String id;
    private final String defaultModel;

    Family(String id, String defaultModel) {
        this.id = id;
        this.defaultModel = defaultModel;
    }

    /**
     * Returns the family's name, as the zoo catalog and the job's command line spell it.
     *
     * @return e.g. {@code time-series}
     */
    public String id() {
        return id;
    }

    /**
     * Returns the zoo model the job uses when none is named.
     *
     * @return the model id
     */
    public String defaultModel() {
        return defaultModel;
    }

    /**
     * Parses a family name.
     *
     * @param name {@code vision}, {@code time-series}, {@code reward} or {@code language}
     * @return the family
     * @throws UnknownFamilyException naming the input and the families
     */
    public static Family parse(String name) {
        for (Family f : values()) {
            if (f.id.equals(name == null ? null : name.toLowerCase(Locale.ROOT))) {
                return f;
            }
        }
        throw new UnknownFamilyException(
                "Unknown model family '"
                        + name
                        + "'; families: "
                        + Arrays.stream(values()).map(Family::id).toList());
    }

    /**
     * Checks that a zoo model belongs to this family.
     *
     * @param modelId the model id
     * @throws IllegalArgumentException if the zoo has no such model, or it is of another family
     */
    public void requireModel(String modelId) {
        String family = ZooCatalog.entry(modelId).family();
        if (!family.equals(id)) {
            throw new IllegalArgumentException(
                    "Zoo model '"
                            + modelId
                            + "' is a "
                            + family
                            + " model, not a "
                            + id
                            + " model");
        }
    }

    /**
     * Runs a model of this family over a data set (lazily).
     *
     * @param input the rows (the family's input columns, see its class)
     * @param modelId the zoo model id
     * @param arguments translator arguments
     * @return the results
     * @throws MalformedDatasetException if the input lacks the family's columns
     */
    public Dataset<Row> run(Dataset<Row> input, String modelId, Map<String, String> arguments) {
        return switch (this) {
            case VISION -> new ImageClassifier(modelId, arguments).classify(input);
            case TIME_SERIES -> new Forecaster(modelId, arguments).forecast(input);
            case REWARD -> new PreferenceScorer(modelId, arguments).score(input);
            case LANGUAGE -> new TextGenerator(modelId, arguments).generate(input);
        };
    }

    /**
     * Runs a model of this family over rows in this JVM, without Spark ({@link
     * PartitionInference#inJvm}): the single-JVM baseline.
     *
     * @param rows the rows
     * @param schema their schema
     * @param modelId the zoo model id
     * @param arguments translator arguments
     * @return the result rows, in input order
     */
    public List<Row> runInJvm(
            List<Row> rows, StructType schema, String modelId, Map<String, String> arguments) {
        return switch (this) {
            case VISION ->
                    PartitionInference.inJvm(
                            rows,
                            schema,
                            new ImageClassifier(modelId, arguments).spec(),
                            ImageClassifier.codec());
            case TIME_SERIES ->
                    PartitionInference.inJvm(
                            rows,
                            schema,
                            new Forecaster(modelId, arguments).spec(),
                            Forecaster.codec());
            case REWARD ->
                    PartitionInference.inJvm(
                            rows,
                            schema,
                            new PreferenceScorer(modelId, arguments).spec(),
                            PreferenceScorer.codec());
            case LANGUAGE ->
                    PartitionInference.inJvm(
                            rows,
                            schema,
                            new TextGenerator(modelId, arguments).spec(),
                            TextGenerator.codec());
        };
    }
}
