package io.moezoo.zoo;

import ai.djl.Application;
import java.util.List;

/**
 * Every model of the MoE Zoo: artifact id, DJL application and family. (A class of its own so that
 * DJL's {@code ModelZoo} static initialiser, which instantiates {@link MoeModelZoo} through the
 * provider, never sees it half-initialised.)
 */
public final class ZooCatalog {

    /**
     * One model of the zoo.
     *
     * @param artifactId the artifact id
     * @param application the DJL application
     * @param family language, vision, time-series or reward
     */
    public record Entry(String artifactId, Application application, String family) {}

    /** The zoo's models. */
    public static final List<Entry> ENTRIES =
            List.of(
                    new Entry("brown-moe", Application.NLP.TEXT_GENERATION, "language"),
                    new Entry("brown-dense", Application.NLP.TEXT_GENERATION, "language"),
                    new Entry(
                            "vit-moe-fashion-mnist", Application.CV.IMAGE_CLASSIFICATION, "vision"),
                    new Entry("time-moe-vega", Application.TimeSeries.FORECASTING, "time-series"),
                    new Entry("dmoerm-brown", Application.NLP.TEXT_CLASSIFICATION, "reward"),
                    new Entry("armorm-brown", Application.NLP.TEXT_CLASSIFICATION, "reward"));

    private ZooCatalog() {}

    /**
     * Returns the entry of an artifact.
     *
     * @param artifactId the artifact id
     * @return the entry
     * @throws IllegalArgumentException if the zoo has no such model, listing those it has
     */
    public static Entry entry(String artifactId) {
        return ENTRIES.stream()
                .filter(e -> e.artifactId().equals(artifactId))
                .findFirst()
                .orElseThrow(
                        () ->
                                new IllegalArgumentException(
                                        "No zoo model '"
                                                + artifactId
                                                + "'; models: "
                                                + artifactIds()));
    }

    /**
     * The command that retrains an artifact from scratch and rewrites its card (what the cards
     * record under {@code command}); one PyTorch thread, as the shipped weights were trained.
     *
     * @param artifactId the artifact id
     * @return a shell command run from the project root
     */
    public static String retrainCommand(String artifactId) {
        return "tools/install-data.sh && OMP_NUM_THREADS=1 ./moe-zoo zoo build --only "
                + artifactId;
    }

    /**
     * Returns the artifact ids.
     *
     * @return every artifact id, in catalog order
     */
    public static List<String> artifactIds() {
        return ENTRIES.stream().map(Entry::artifactId).toList();
    }
}
