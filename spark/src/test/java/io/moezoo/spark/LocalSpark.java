package io.moezoo.spark;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;

/** The tests' shared Spark session (local[2], UI off) and their single-JVM baseline. */
final class LocalSpark {

    private static SparkSession session;

    private LocalSpark() {}

    /**
     * Returns the session, created on first use and shared by every test class of the run.
     *
     * @return the session
     */
    static synchronized SparkSession get() {
        if (session == null) {
            session =
                    SparkSession.builder()
                            .master("local[2]")
                            .appName("moe-zoo-spark-tests")
                            .config("spark.ui.enabled", "false")
                            .config("spark.sql.shuffle.partitions", "2")
                            .config("spark.driver.host", "127.0.0.1")
                            .config("spark.driver.bindAddress", "127.0.0.1")
                            .getOrCreate();
        }
        return session;
    }

    /**
     * Predicts inputs with a model loaded independently of the Spark path (its own {@code Criteria}
     * load, one predictor): the expectation the Spark results are compared with.
     *
     * @param spec the model
     * @param inputs the inputs, in order
     * @param read turns each prediction into plain values before the next one
     * @param <I> the input type
     * @param <O> the output type
     * @param <R> the plain result
     * @return the results, in input order
     * @throws Exception if loading or prediction fails
     */
    static <I, O, R> List<R> singleJvm(ZooModelSpec<I, O> spec, List<I> inputs, Function<O, R> read)
            throws Exception {
        List<R> results = new ArrayList<>();
        try (ZooModel<I, O> model = spec.criteria().loadModel();
                Predictor<I, O> predictor = model.newPredictor()) {
            for (I input : inputs) {
                results.add(read.apply(predictor.predict(input)));
            }
        }
        return results;
    }
}
