package io.moezoo.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moezoo.translators.reward.PreferencePair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** Scores JSON-lines preference pairs in local[2] against the single-JVM predictor. */
class PreferenceScorerTest {

    @Test
    void sparkEqualsSingleJvmPredictorOnPairs() throws Exception {
        Dataset<Row> pairs =
                JobInputs.read(LocalSpark.get(), Family.REWARD, Fixtures.path("pairs.jsonl"))
                        .repartition(2);
        PreferenceScorer scorer = new PreferenceScorer(Family.REWARD.defaultModel(), Map.of());
        List<Row> got = scorer.score(pairs).orderBy("id").collectAsList();
        assertEquals(6, got.size());
        List<PreferencePair> inputs = new ArrayList<>();
        for (Row row : got) {
            inputs.add(
                    new PreferencePair(
                            row.getAs("prompt"), row.getAs("chosen"), row.getAs("rejected")));
        }
        List<float[]> expected =
                LocalSpark.singleJvm(
                        scorer.spec(),
                        inputs,
                        p ->
                                new float[] {
                                    p.probability(), p.chosen().score(), p.rejected().score()
                                });
        for (int i = 0; i < got.size(); i++) {
            Row row = got.get(i);
            assertEquals(expected.get(i)[0], row.<Float>getAs("probability"), 1e-5f);
            assertEquals(expected.get(i)[1], row.<Float>getAs("chosen_score"), 1e-5f);
            assertEquals(expected.get(i)[2], row.<Float>getAs("rejected_score"), 1e-5f);
        }
    }

    @Test
    void inJvmPathEqualsSparkPath() {
        Dataset<Row> pairs =
                JobInputs.read(LocalSpark.get(), Family.REWARD, Fixtures.path("pairs.jsonl"))
                        .orderBy("id");
        List<Row> spark =
                Family.REWARD
                        .run(pairs.repartition(2), "dmoerm-brown", Map.of())
                        .orderBy("id")
                        .collectAsList();
        List<Row> jvm =
                Family.REWARD.runInJvm(
                        pairs.collectAsList(), pairs.schema(), "dmoerm-brown", Map.of());
        assertEquals(spark.size(), jvm.size());
        for (int i = 0; i < jvm.size(); i++) {
            assertEquals(spark.get(i).toString(), jvm.get(i).toString());
        }
    }

    @Test
    void missingRejectedColumnIsAMalformedDataset() {
        Dataset<Row> bad = LocalSpark.get().sql("SELECT 'p' AS prompt, 'c' AS chosen");
        MalformedDatasetException e =
                assertThrows(
                        MalformedDatasetException.class,
                        () -> new PreferenceScorer("dmoerm-brown", Map.of()).score(bad));
        assertTrue(e.getMessage().contains("'rejected'"), e.getMessage());
    }

    @Test
    void brokenJsonLinesAreAMalformedDataset() {
        String broken = Fixtures.path("broken.jsonl");
        MalformedDatasetException e =
                assertThrows(
                        MalformedDatasetException.class,
                        () -> JobInputs.read(LocalSpark.get(), Family.REWARD, broken));
        assertTrue(e.getMessage().contains(broken), e.getMessage());
    }
}
