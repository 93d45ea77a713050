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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Re-measures the shipped {@code brown-dense} and {@code brown-moe} artifacts without retraining
 * and rewrites their {@code card.json}, {@code README.md} and {@code metadata.json}: the F16
 * weights are evaluated over the whole held-out split and the re-evaluation subset, the Kneser-Ney
 * baselines are trained and scored ({@link BrownNgramBaselines}); the training facts (steps, seed)
 * are read from the existing cards.
 *
 * <p>Run: {@code mvn -q -B -pl recipes exec:java@brown-reevaluation} (after {@code
 * tools/install-data.sh}), or {@code java ... BrownReevaluation [CORPUS_JSONL] [REPOSITORY_ROOT]}.
 */
public final class BrownReevaluation {

    private static final Pattern STEPS = Pattern.compile("(\\d+) steps x 16 sequences");

    /** The repository the zoo ships, relative to the project root. */
    static final String REPOSITORY = "zoo-weights/src/main/resources/io/moezoo/zoo/repository";

    private BrownReevaluation() {}

    /**
     * Re-evaluates both artifacts and rewrites their cards.
     *
     * @param corpus the Brown corpus as JSON lines
     * @param root the repository root
     * @return the n-gram baselines measured
     * @throws IOException if the data or the artifacts cannot be read, or the two cards disagree on
     *     steps or seed
     */
    public static BrownNgramBaselines reevaluate(Path corpus, Path root) throws IOException {
        Path denseDir = BrownArtifacts.artifactDir(root, "brown-dense");
        Path moeDir = BrownArtifacts.artifactDir(root, "brown-moe");
        JsonObject denseCard = card(denseDir);
        JsonObject moeCard = card(moeDir);
        int steps = steps(denseDir, denseCard);
        long seed = denseCard.get("seed").getAsLong();
        if (steps != steps(moeDir, moeCard) || seed != moeCard.get("seed").getAsLong()) {
            throw new IOException("brown-dense and brown-moe cards disagree on steps or seed");
        }
        long[][] split = BrownLanguageModels.tokenize(corpus);
        BrownNgramBaselines ngram =
                BrownNgramBaselines.measure(split, steps, seed, BrownCard.REEVALUATION_STRIDE);
        System.out.println(ngram.summary());
        BrownCard.Measured dense = BrownCard.Measured.of(denseDir, split[1]);
        System.out.println("brown-dense " + dense);
        BrownCard.Measured moe = BrownCard.Measured.of(moeDir, split[1]);
        System.out.println("brown-moe " + moe);
        BrownCard.write(denseDir, "brown-dense", dense, null, ngram, split, steps, seed);
        BrownCard.write(moeDir, "brown-moe", moe, dense, ngram, split, steps, seed);
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

    private static int steps(Path dir, JsonObject card) throws IOException {
        if (card.has("steps")) {
            return card.get("steps").getAsInt();
        }
        Matcher m = STEPS.matcher(card.get("recipe").getAsString());
        if (!m.find()) {
            throw new IOException(
                    dir.resolve("card.json") + ": neither steps nor a recipe that states them");
        }
        return Integer.parseInt(m.group(1));
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
