package io.moezoo.recipes;

import io.moezoo.recipes.data.DataSets;
import io.moezoo.recipes.language.BrownArtifacts;
import io.moezoo.recipes.reward.LmArmormArtifact;
import io.moezoo.recipes.reward.LmRewardArtifact;
import io.moezoo.recipes.timeseries.TimeMoeTraining;
import io.moezoo.recipes.vision.VisionMoeTraining;
import io.moezoo.zoo.MoeModelZoo;
import io.moezoo.zoo.ZooCatalog;
import io.moezoo.zoo.repository.ArtifactPublisher;
import io.moezoo.zoo.repository.ZooRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Retrains zoo artifacts from scratch with their recorded recipes and seeds, and rewrites their
 * files, cards and {@code metadata.json} in a repository directory ({@code moe-zoo zoo build}).
 * Each step trains on the real data sets ({@link DataSets}); nothing is downloaded.
 */
public final class ZooBuilder {

    /** One training recipe; may produce several artifacts (e.g. a model and its baseline). */
    @FunctionalInterface
    public interface Recipe {
        /**
         * Trains and writes the recipe's artifacts.
         *
         * @param repositoryRoot the repository directory
         * @throws Exception if data is missing or training fails
         */
        void build(Path repositoryRoot) throws Exception;
    }

    /** The version every recipe writes. */
    public static final String VERSION = "0.1.0";

    private ZooBuilder() {}

    /**
     * The recipes, keyed by the artifact ids each produces.
     *
     * @return recipe name → (artifact ids, recipe)
     */
    public static Map<String, Map.Entry<List<String>, Recipe>> recipes() {
        Map<String, Map.Entry<List<String>, Recipe>> recipes = new LinkedHashMap<>();
        recipes.put(
                "brown-lm",
                Map.entry(
                        List.of("brown-moe", "brown-dense"),
                        root -> BrownArtifacts.build(DataSets.brownJsonl(), root, 42)));
        recipes.put(
                "vit-moe-fashion-mnist",
                Map.entry(
                        List.of("vit-moe-fashion-mnist"),
                        root -> {
                            VisionMoeTraining.train(versionDir(root, "vit-moe-fashion-mnist"), 42);
                            publish(root, "vit-moe-fashion-mnist");
                        }));
        recipes.put(
                "time-moe-vega",
                Map.entry(
                        List.of("time-moe-vega"),
                        root -> {
                            TimeMoeTraining.train(
                                    versionDir(root, "time-moe-vega", TimeMoeTraining.VERSION), 42);
                            publish(root, "time-moe-vega", TimeMoeTraining.VERSION);
                        }));
        recipes.put(
                "dmoerm-brown",
                Map.entry(
                        List.of("dmoerm-brown"),
                        root -> LmRewardArtifact.build(DataSets.brownJsonl(), root, 42)));
        recipes.put(
                "armorm-brown",
                Map.entry(
                        List.of("armorm-brown"),
                        root -> LmArmormArtifact.build(DataSets.brownJsonl(), root, 42)));
        return recipes;
    }

    private static Path versionDir(Path root, String artifactId) throws java.io.IOException {
        return versionDir(root, artifactId, VERSION);
    }

    private static Path versionDir(Path root, String artifactId, String version)
            throws java.io.IOException {
        ZooCatalog.Entry entry = ZooCatalog.entry(artifactId);
        return Files.createDirectories(
                root.resolve(
                                ZooRepository.metadataDirectory(
                                        entry.application(), MoeModelZoo.GROUP_ID, artifactId))
                        .resolve(version));
    }

    /**
     * Rewrites an artifact's {@code metadata.json} from its files (sha1 and size of each), after a
     * recipe or a re-evaluation changed them.
     *
     * @param root the repository root
     * @param artifactId the artifact
     * @throws java.io.IOException if the files cannot be read or the card is invalid
     */
    public static void publish(Path root, String artifactId) throws java.io.IOException {
        publish(root, artifactId, VERSION);
    }

    /**
     * Rewrites the {@code metadata.json} of one version of an artifact.
     *
     * @param root the repository root
     * @param artifactId the artifact
     * @param version the version directory
     * @throws java.io.IOException if the files cannot be read or the card is invalid
     */
    public static void publish(Path root, String artifactId, String version)
            throws java.io.IOException {
        ZooCatalog.Entry entry = ZooCatalog.entry(artifactId);
        ArtifactPublisher.publish(
                root, entry.application(), MoeModelZoo.GROUP_ID, artifactId, version);
    }

    /**
     * Runs the recipes that produce any of the given artifacts (all when empty).
     *
     * @param repositoryRoot the repository directory (must exist)
     * @param artifactIds the artifacts to rebuild, empty for all
     * @param log receives one line per step
     * @return the recipes run
     * @throws Exception if a recipe fails (artifacts already rebuilt stay rebuilt)
     */
    public static List<String> build(
            Path repositoryRoot, Set<String> artifactIds, Consumer<String> log) throws Exception {
        for (String id : artifactIds) {
            if (!ZooCatalog.artifactIds().contains(id)) {
                throw new IllegalArgumentException(
                        "No zoo model '" + id + "'; models: " + ZooCatalog.artifactIds());
            }
        }
        if (!Files.isDirectory(repositoryRoot)) {
            throw new IllegalArgumentException(
                    "Repository directory "
                            + repositoryRoot
                            + " does not exist (run from the project root or pass --repository)");
        }
        List<String> run = new ArrayList<>();
        for (Map.Entry<String, Map.Entry<List<String>, Recipe>> e : recipes().entrySet()) {
            List<String> produces = e.getValue().getKey();
            if (!artifactIds.isEmpty() && produces.stream().noneMatch(artifactIds::contains)) {
                continue;
            }
            log.accept("Training " + e.getKey() + " -> " + produces);
            long start = System.nanoTime();
            e.getValue().getValue().build(repositoryRoot);
            log.accept(
                    String.format(
                            java.util.Locale.ROOT,
                            "Wrote %s in %.0f s",
                            produces,
                            (System.nanoTime() - start) / 1e9));
            run.add(e.getKey());
        }
        return run;
    }
}
