package io.moezoo.recipes.reward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pieces of the dmoerm-brown 0.2.0 recipe that do not need the language model. */
class LmRewardRecipeTest {

    @TempDir Path tmp;

    @Test
    void standardizationIsTheColumnMeanAndDeviation() {
        float[][] s = Standardization.of(new float[][] {{1, 5}, {3, 5}, {5, 5}});
        assertArrayEquals(new float[] {3, 5}, s[0], 1e-6f);
        // population deviation of {1, 3, 5} is sqrt(8/3); a constant column gets scale 1
        assertArrayEquals(new float[] {(float) Math.sqrt(8.0 / 3), 1}, s[1], 1e-6f);
    }

    /**
     * Pairs whose preference follows a known direction w* = (1, -2) with label noise: the fitted
     * direction is close to w* and the pairs are ranked as w* ranks them.
     */
    @Test
    void pairwiseLogisticRecoversTheDirectionOfAKnownPreference() {
        Random rng = new Random(1);
        int n = 2000;
        float[][] rows = new float[2 * n][];
        List<RewardPair> pairs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] a = {(float) rng.nextGaussian(), (float) rng.nextGaussian()};
            float[] b = {(float) rng.nextGaussian(), (float) rng.nextGaussian()};
            double margin = (a[0] - b[0]) - 2 * (a[1] - b[1]);
            boolean aWins = rng.nextDouble() < 1 / (1 + Math.exp(-4 * margin));
            rows[2 * i] = aWins ? a : b;
            rows[2 * i + 1] = aWins ? b : a;
            pairs.add(new RewardPair("f" + i, "news", CapabilityDimension.FLUENCY, "p", "c", "r"));
        }
        float[][] standardization = Standardization.of(rows);
        PairwiseLogistic model = PairwiseLogistic.fit(rows, standardization);
        double w0 =
                model.score(new float[] {standardization[0][0] + 1, standardization[0][1]})
                        - model.score(standardization[0]);
        double w1 =
                model.score(new float[] {standardization[0][0], standardization[0][1] + 1})
                        - model.score(standardization[0]);
        assertEquals(-2.0, w1 / w0, 0.25, "direction w1/w0");
        assertTrue(w0 > 0);
        double accuracy =
                model.evaluate(new LmFeatureCache(rows, new float[n][1]), pairs)
                        .metrics()
                        .get("accuracy");
        int agree = 0;
        for (int i = 0; i < n; i++) {
            double m =
                    (rows[2 * i][0] - rows[2 * i + 1][0])
                            - 2 * (rows[2 * i][1] - rows[2 * i + 1][1]);
            agree += m > 0 ? 1 : 0;
        }
        assertEquals(agree / (double) n, accuracy, 0.01, "ranks as w* does");
    }

    @Test
    void featureFilesRoundTripAndRefuseForeignFiles() throws IOException {
        LmFeatureCache cache =
                new LmFeatureCache(
                        new float[][] {{1, 2, 3}, {4, 5, 6}}, new float[][] {{0.5f, -0.5f}});
        Path file = tmp.resolve("features.bin");
        LmFeatureFile.write(file, cache);
        LmFeatureCache back = LmFeatureFile.read(file);
        assertArrayEquals(cache.statistics(), back.statistics());
        assertArrayEquals(cache.promptStates(), back.promptStates());
        Path foreign = Files.write(tmp.resolve("foreign.bin"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
        IOException e = assertThrows(IOException.class, () -> LmFeatureFile.read(foreign));
        assertTrue(e.getMessage().contains("not a feature cache"), e.getMessage());
        byte[] bytes = Files.readAllBytes(file);
        bytes[4] = 0x7f; // rows: a huge count
        Path huge = Files.write(tmp.resolve("huge.bin"), bytes);
        e = assertThrows(IOException.class, () -> LmFeatureFile.read(huge));
        assertTrue(e.getMessage().contains("invalid shape"), e.getMessage());
    }
}
