package io.moezoo.recipes.ngram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The Kneser-Ney model against nltk 3.8's {@code KneserNeyInterpolated} (Debian python3-nltk): the
 * fixture {@code nltk-kneser-ney.tsv} is written by {@code
 * recipes/src/test/python/nltk_kneser_ney_fixture.py}. nltk uses one discount D above the unigrams
 * and an undiscounted continuation unigram, i.e. {@code KneserNeyDiscounts.single(0, D, D)}; the
 * script explains why its other definitional difference (the middle-order gamma) does not touch the
 * fixture's queries.
 */
class KneserNeyReferenceTest {

    @Test
    void probabilitiesMatchNltk() throws Exception {
        List<String> lines;
        try (InputStream in = getClass().getResourceAsStream("nltk-kneser-ney.tsv")) {
            assertNotNull(in, "fixture");
            lines =
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                            .lines()
                            .toList();
        }
        long[] corpus =
                Arrays.stream(lines.get(0).split("\t")[1].split(" "))
                        .mapToLong(Long::parseLong)
                        .toArray();
        double discount = Double.parseDouble(lines.get(1).split("\t")[1]);
        NgramCounts counts = NgramCounts.builder(3, 9).add(corpus).build();
        KneserNeyModel model =
                new KneserNeyModel(counts, KneserNeyDiscounts.single(0, discount, discount));
        int compared = 0;
        for (String line : lines.subList(2, lines.size())) {
            String[] f = line.split("\t");
            long[] context =
                    f[1].equals("-")
                            ? new long[0]
                            : Arrays.stream(f[1].split(" ")).mapToLong(Long::parseLong).toArray();
            double expected = Double.parseDouble(f[3]);
            double got = model.probability(context, Long.parseLong(f[2]));
            assertEquals(expected, got, 1e-12 * Math.max(1, expected), line);
            compared++;
        }
        assertEquals(8 + 64 + 512, compared);
        assertTrue(corpus.length == 400);
    }
}
