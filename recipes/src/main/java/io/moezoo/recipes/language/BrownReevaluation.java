package io.moezoo.recipes.language;

import ai.djl.Application;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.moezoo.recipes.data.DataSets;
import io.moezoo.zoo.MoeModelZoo;
import io.moezoo.zoo.repository.ArtifactPublisher;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Re-measures the shipped {@code brown-dense} and {@code brown-moe} artifacts without retraining
 * and rewrites their {@code card.json}, {@code README.md} and {@code metadata.json}: the F16
 * weights are evaluated over the whole held-out split and the re-evaluation subset, the Kneser-Ney
 * baselines are trained and scored ({@link BrownNgramBaselines}) and the continuations of the
 * held-out prompts re-generated; the seed is read from the existing cards.
 *
 * <p>Run: {@code mvn -q -B -pl recipes exec:java@brown-reevaluation} (after {@code
 * tools/install-data.sh}), or {@code java ... BrownReevaluation [CORPUS_JSONL] [REPOSITORY_ROOT]}.
 */
public final class BrownReevaluation {

    /** The repository the zoo ships, relative to the project root. */
    static final String REPOSITORY = "zoo-weights/src/main/resources/io/moezoo/zoo/repository";

    private BrownReevaluation() {}

    /**
     * Re-evaluates both artifacts and rewrites their cards.
     *
     * @param corpus the Brown corpus as JSON lines
     * @param root the repository root
     * @return the n-gram baselines measured
     * @throws Exception if the data or the artifacts cannot be read, generation fails, or the two
     *     cards disagree on the seed
     */
    public static BrownNgramBaselines reevaluate(Path corpus, Path root) throws Exception {
        Path denseDir = BrownArtifacts.artifactDir(root, "brown-dense");
        Path moeDir = BrownArtifacts.artifactDir(root, "brown-moe");
        long seed = card(denseDir).get("seed").getAsLong();
        if (seed != card(moeDir).get("seed").getAsLong()) {
            throw new IOException("brown-dense and brown-moe cards disagree on the seed");
        }
        BrownSplits split = BrownLanguageModels.tokenize(corpus);
        BrownNgramBaselines ngram =
                BrownNgramBaselines.measure(split, BrownCard.REEVALUATION_STRIDE);
        System.out.println(ngram.summary());
        BrownCard.Measured dense = BrownCard.Measured.of(denseDir, split.test());
        System.out.println("brown-dense " + dense);
        BrownCard.Measured moe = BrownCard.Measured.of(moeDir, split.test());
        System.out.println("brown-moe " + moe);
        BrownCard.write(
                denseDir,
                "brown-dense",
                dense,
                null,
                ngram,
                BrownArtifacts.continuations(corpus, root, "brown-dense"),
                split,
                seed);
        BrownCard.write(
                moeDir,
                "brown-moe",
                moe,
                dense,
                ngram,
                BrownArtifacts.continuations(corpus, root, "brown-moe"),
                split,
                seed);
        for (String id : new String[] {"brown-dense", "brown-moe"}) {
            ArtifactPublisher.publish(
                    root,
                    Application.NLP.TEXT_GENERATION,
                    MoeModelZoo.GROUP_ID,
                    id,
                    BrownArtifacts.VERSION);
        }
        return ngram;
    }

    private static JsonObject card(Path dir) throws IOException {
        return JsonParser.parseString(
                        Files.readString(dir.resolve("card.json"), StandardCharsets.UTF_8))
                .getAsJsonObject();
    }

    /**
     * Re-evaluates the artifacts of the checkout in the working directory.
     *
     * @param args {@code [CORPUS_JSONL] [REPOSITORY_ROOT]}
     * @throws Exception if the evaluation fails
     */
    public static void main(String[] args) throws Exception {
        Path corpus = args.length > 0 ? Paths.get(args[0]) : DataSets.brownJsonl();
        Path root = Paths.get(args.length > 1 ? args[1] : REPOSITORY);
        reevaluate(corpus, root);
        for (String id : new String[] {"brown-dense", "brown-moe"}) {
            System.out.print(
                    Files.readString(
                            BrownArtifacts.artifactDir(root, id).resolve("README.md"),
                            StandardCharsets.UTF_8));
        }
    }
}
