package io.moezoo.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.moezoo.translators.text.GeneratedText;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/**
 * Generates for a text file of prompts in local[2], greedy and seeded sampling, against the
 * single-JVM predictor: the same text and token ids.
 */
class TextGeneratorTest {

    @Test
    void greedySparkEqualsSingleJvmPredictor() throws Exception {
        check(Map.of("maxNewTokens", "8"));
    }

    @Test
    void seededSamplingSparkEqualsSingleJvmPredictor() throws Exception {
        check(Map.of("maxNewTokens", "6", "temperature", "0.8", "seed", "7"));
    }

    private static void check(Map<String, String> arguments) throws Exception {
        Dataset<Row> prompts =
                JobInputs.read(LocalSpark.get(), Family.LANGUAGE, Fixtures.path("prompts.txt"))
                        .repartition(2);
        TextGenerator generator = new TextGenerator(Family.LANGUAGE.defaultModel(), arguments);
        List<Row> got = generator.generate(prompts).orderBy("id").collectAsList();
        assertEquals(5, got.size(), "prompts.txt has 5 non-blank lines");
        List<String> inputs = new ArrayList<>();
        for (Row row : got) {
            inputs.add(row.getAs("prompt"));
        }
        List<GeneratedText> expected = LocalSpark.singleJvm(generator.spec(), inputs, g -> g);
        for (int i = 0; i < got.size(); i++) {
            Row row = got.get(i);
            GeneratedText want = expected.get(i);
            assertEquals(want.text(), row.getAs("text"), inputs.get(i));
            List<Long> ids = row.getList(row.fieldIndex("token_ids"));
            assertArrayEquals(
                    want.tokenIds(),
                    ids.stream().mapToLong(Long::longValue).toArray(),
                    inputs.get(i));
            assertEquals(want.stoppedByToken(), row.<Boolean>getAs("stopped_by_token"));
        }
    }
}
