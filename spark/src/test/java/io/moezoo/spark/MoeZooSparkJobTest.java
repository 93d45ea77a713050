package io.moezoo.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job's command line, its typed errors and one end-to-end run. */
class MoeZooSparkJobTest {

    @TempDir Path dir;

    @Test
    void unknownFamilyIsTyped() {
        UnknownFamilyException e =
                assertThrows(
                        UnknownFamilyException.class,
                        () -> MoeZooSparkJob.Options.parse("audio", "in", "out"));
        assertTrue(e.getMessage().contains("'audio'"), e.getMessage());
        assertTrue(e.getMessage().contains("time-series"), e.getMessage());
    }

    @Test
    void modelOfAnotherFamilyIsRefused() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                MoeZooSparkJob.Options.parse(
                                        "vision", "in", "out", "--model", "time-moe-vega"));
        assertTrue(e.getMessage().contains("time-moe-vega"), e.getMessage());
    }

    @Test
    void defaultsAndArguments() {
        MoeZooSparkJob.Options o =
                MoeZooSparkJob.Options.parse(
                        "time-series",
                        "in",
                        "out",
                        "--arg",
                        "prediction_length=24",
                        "--partitions",
                        "4");
        assertEquals("time-moe-vega", o.model());
        assertEquals(Map.of("prediction_length", "24"), o.arguments());
        assertEquals(4, o.partitions());
        assertThrows(
                IllegalArgumentException.class,
                () -> MoeZooSparkJob.Options.parse("reward", "in", "out", "--partitions", "0"));
    }

    @Test
    void unknownModelIsRefusedOnTheDriver() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> new TextGenerator("no-such-model", Map.of()));
        assertTrue(e.getMessage().contains("'no-such-model'"), e.getMessage());
        assertTrue(e.getMessage().contains("brown-moe"), e.getMessage());
    }

    @Test
    void parquetImagesGiveTheSameClassesAsIdxFiles() throws Exception {
        String idx = io.moezoo.recipes.data.DataSets.fashionMnist().toString();
        Dataset<Row> all =
                JobInputs.read(LocalSpark.get(), Family.VISION, idx)
                        .filter(functions.col("id").lt(16));
        Dataset<Row> images = LocalSpark.get().createDataFrame(all.collectAsList(), all.schema());
        String parquet = dir.resolve("images.parquet").toString();
        images.write().parquet(parquet);
        String out = dir.resolve("classes.parquet").toString();
        MoeZooSparkJob.run(LocalSpark.get(), MoeZooSparkJob.Options.parse("vision", parquet, out));
        List<Row> fromParquet = LocalSpark.get().read().parquet(out).orderBy("id").collectAsList();
        List<Row> fromIdx =
                new ImageClassifier("vit-moe-fashion-mnist", Map.of())
                        .classify(images)
                        .orderBy("id")
                        .collectAsList();
        assertEquals(16, fromParquet.size());
        for (int i = 0; i < fromIdx.size(); i++) {
            assertEquals(fromIdx.get(i).toString(), fromParquet.get(i).toString());
        }
    }

    @Test
    void missingInputIsAMalformedDataset() {
        String missing = dir.resolve("nothing-here").toString();
        MalformedDatasetException e =
                assertThrows(
                        MalformedDatasetException.class,
                        () ->
                                MoeZooSparkJob.run(
                                        LocalSpark.get(),
                                        MoeZooSparkJob.Options.parse(
                                                "vision", missing, dir.resolve("out").toString())));
        assertTrue(e.getMessage().contains(missing), e.getMessage());
    }

    @Test
    void languageJobWritesOneJsonRowPerPromptAndReusesTheExecutorModel() {
        String out = dir.resolve("generated").toString();
        MoeZooSparkJob.Options options =
                MoeZooSparkJob.Options.parse(
                        "language",
                        Fixtures.path("prompts.txt"),
                        out,
                        "--arg",
                        "maxNewTokens=4",
                        "--partitions",
                        "2");
        assertEquals(5, MoeZooSparkJob.run(LocalSpark.get(), options));
        int models = ExecutorModels.loadedCount();
        List<Row> written = LocalSpark.get().read().json(out).collectAsList();
        assertEquals(5, written.size());
        assertTrue(written.get(0).getAs("text") instanceof String);
        MoeZooSparkJob.run(
                LocalSpark.get(),
                new MoeZooSparkJob.Options(
                        options.family(),
                        options.input(),
                        out + "-again",
                        options.model(),
                        options.arguments(),
                        2));
        assertEquals(models, ExecutorModels.loadedCount(), "the second job reuses the model");
    }
}
