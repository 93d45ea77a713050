package io.moezoo.zoo;

import ai.djl.Application;
import io.moezoo.models.language.DecoderBlockFactory;
import io.moezoo.models.reward.RewardBlockFactory;
import io.moezoo.models.timeseries.TimeMoeBlockFactory;
import io.moezoo.models.vision.VisionMoeBlockFactory;
import io.moezoo.translators.reward.RewardTranslatorFactory;
import io.moezoo.translators.text.TextTranslatorFactory;
import io.moezoo.translators.timeseries.TimeMoeForecastTranslatorFactory;
import io.moezoo.translators.vision.GrayscaleImageClassificationTranslatorFactory;
import io.moezoo.zoo.repository.ArtifactCode;
import java.util.List;

/**
 * Every model of the MoE Zoo: artifact id, DJL application, family, and the code that runs it (the
 * registry of block and translator factories: no repository can name other code). (A class of its
 * own so that DJL's {@code ModelZoo} static initialiser, which instantiates {@link MoeModelZoo}
 * through the provider, never sees it half-initialised.)
 */
public final class ZooCatalog {

    /**
     * One model of the zoo.
     *
     * @param artifactId the artifact id
     * @param application the DJL application
     * @param family language, vision, time-series or reward
     * @param code the block and translator factories that run it (the only code any repository's
     *     copy of this model can run)
     */
    public record Entry(
            String artifactId, Application application, String family, ArtifactCode code) {}

    private static final ArtifactCode LANGUAGE =
            new ArtifactCode(DecoderBlockFactory::new, TextTranslatorFactory::new);
    private static final ArtifactCode VISION =
            new ArtifactCode(
                    VisionMoeBlockFactory::new, GrayscaleImageClassificationTranslatorFactory::new);
    private static final ArtifactCode TIME_SERIES =
            new ArtifactCode(TimeMoeBlockFactory::new, TimeMoeForecastTranslatorFactory::new);
    private static final ArtifactCode REWARD =
            new ArtifactCode(RewardBlockFactory::new, RewardTranslatorFactory::new);

    /** The zoo's models. */
    public static final List<Entry> ENTRIES =
            List.of(
                    new Entry("brown-moe", Application.NLP.TEXT_GENERATION, "language", LANGUAGE),
                    new Entry("brown-dense", Application.NLP.TEXT_GENERATION, "language", LANGUAGE),
                    new Entry(
                            "vit-moe-fashion-mnist",
                            Application.CV.IMAGE_CLASSIFICATION,
                            "vision",
                            VISION),
                    new Entry(
                            "time-moe-vega",
                            Application.TimeSeries.FORECASTING,
                            "time-series",
                            TIME_SERIES),
                    new Entry(
                            "dmoerm-brown", Application.NLP.TEXT_CLASSIFICATION, "reward", REWARD),
                    new Entry(
                            "armorm-brown", Application.NLP.TEXT_CLASSIFICATION, "reward", REWARD));

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
