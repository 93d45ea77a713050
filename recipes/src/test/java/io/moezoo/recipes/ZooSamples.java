package io.moezoo.recipes;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDManager;
import ai.djl.timeseries.Forecast;
import ai.djl.timeseries.TimeSeriesData;
import ai.djl.timeseries.dataset.FieldName;
import io.moezoo.recipes.vision.FashionMnist;
import io.moezoo.translators.reward.PreferencePair;
import io.moezoo.translators.reward.PreferenceProbability;
import io.moezoo.translators.text.SequenceScore;
import io.moezoo.zoo.MoeModelZoo;
import io.moezoo.zoo.ZooCatalog;

/** One prediction per zoo family, and how to compare two of them. */
final class ZooSamples {

    private ZooSamples() {}

    static Object predict(MoeModelZoo zoo, ZooCatalog.Entry entry) throws Exception {
        switch (entry.family()) {
            case "language":
                return ZooTest.score(zoo, entry.artifactId(), "The jury praised the city.");
            case "time-series":
                try (NDManager manager = NDManager.newBaseManager()) {
                    float[] history = new float[48];
                    for (int t = 0; t < history.length; t++) {
                        history[t] = 10 + t * 0.1f + (float) Math.sin(2 * Math.PI * t / 12);
                    }
                    TimeSeriesData input = new TimeSeriesData(1);
                    input.add(FieldName.TARGET, manager.create(history));
                    return ZooTest.predictOnce(
                            zoo,
                            entry.artifactId(),
                            TimeSeriesData.class,
                            Forecast.class,
                            input,
                            f -> f.mean().toFloatArray());
                }
            case "vision":
                FashionMnist test = FashionMnist.load(FashionMnist.Split.TEST);
                return ZooTest.predictOnce(
                        zoo,
                        entry.artifactId(),
                        Image.class,
                        Classifications.class,
                        test.image(0),
                        c -> c);
            case "reward":
                return ZooTest.predictOnce(
                        zoo,
                        entry.artifactId(),
                        PreferencePair.class,
                        PreferenceProbability.class,
                        new PreferencePair(
                                "The committee met on Friday and",
                                " approved the budget for the new school.",
                                " school the budget new approved for the."),
                        p -> p);
            default:
                throw new AssertionError("no sample input for family " + entry.family());
        }
    }

    static void assertSame(ZooCatalog.Entry entry, Object a, Object b) {
        switch (entry.family()) {
            case "language":
                SequenceScore x = (SequenceScore) a;
                SequenceScore y = (SequenceScore) b;
                assertArrayEquals(x.tokenIds(), y.tokenIds());
                assertArrayEquals(x.logProbs(), y.logProbs(), 0f, entry.artifactId());
                assertTrue(Double.isFinite(x.perplexity()));
                break;
            case "time-series":
                float[] p = (float[]) a;
                assertArrayEquals(p, (float[]) b, 0f, entry.artifactId());
                assertTrue(p.length == 12, "prediction_length 12 from the metadata");
                for (float v : p) {
                    assertTrue(Float.isFinite(v) && v > 0 && v < 30, "plausible forecast " + v);
                }
                break;
            case "vision":
                Classifications c1 = (Classifications) a;
                Classifications c2 = (Classifications) b;
                assertEquals(c1.getClassNames(), c2.getClassNames());
                assertEquals(c1.getProbabilities(), c2.getProbabilities());
                // Test image 0 of Fashion-MNIST is an ankle boot.
                assertEquals("Ankle boot", c1.best().getClassName(), c1.toString());
                break;
            case "reward":
                PreferenceProbability x1 = (PreferenceProbability) a;
                PreferenceProbability y1 = (PreferenceProbability) b;
                assertEquals(x1, y1, entry.artifactId());
                assertTrue(x1.probability() > 0 && x1.probability() < 1);
                break;
            default:
                throw new AssertionError("no comparison for family " + entry.family());
        }
    }
}
