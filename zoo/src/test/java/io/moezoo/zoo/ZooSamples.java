package io.moezoo.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moezoo.translators.text.SequenceScore;

/** One prediction per zoo family, and how to compare two of them. */
final class ZooSamples {

    private ZooSamples() {}

    static Object predict(MoeModelZoo zoo, ZooCatalog.Entry entry) throws Exception {
        switch (entry.family()) {
            case "language":
                return ZooTest.score(zoo, entry.artifactId(), "The jury praised the city.");
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
            default:
                throw new AssertionError("no comparison for family " + entry.family());
        }
    }
}
