package io.moezoo.zoo;

import ai.djl.Application;
import ai.djl.repository.MRL;
import ai.djl.repository.Metadata;
import io.moezoo.models.language.DecoderBlockFactory;
import io.moezoo.models.reward.RewardBlockFactory;
import io.moezoo.models.timeseries.TimeMoeBlockFactory;
import io.moezoo.models.vision.VisionMoeBlockFactory;
import io.moezoo.translators.reward.RewardTranslatorFactory;
import io.moezoo.translators.text.TextTranslatorFactory;
import io.moezoo.translators.timeseries.TimeMoeForecastTranslatorFactory;
import io.moezoo.translators.vision.GrayscaleImageClassificationTranslatorFactory;
import io.moezoo.zoo.repository.ArtifactCode;
import io.moezoo.zoo.repository.ZooRepository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every model of the MoE Zoo, read from the {@code metadata.json} files of the repository embedded
 * in the jar: artifact id, application, name and description as the metadata gives them, and the
 * family whose code runs the model. Adding a model is adding its directory to the repository.
 *
 * <p>The code is the one thing not taken from metadata: {@link #FAMILIES} registers the block and
 * translator factories of each family, and a model belongs to the family whose two factories its
 * metadata names (it is refused if there is none). Repositories configured at run time serve these
 * models; their metadata must name the same factories, and cannot add models. (A class of its own
 * so that DJL's {@code ModelZoo} static initialiser, which instantiates {@link MoeModelZoo} through
 * the provider, never sees it half-initialised.)
 */
public final class ZooCatalog {

    /**
     * One model of the zoo.
     *
     * @param artifactId the artifact id
     * @param application the DJL application
     * @param family language, vision, time-series or reward
     * @param name the model's name
     * @param description what the model is
     * @param code the block and translator factories that run it (the only code any repository's
     *     copy of this model can run)
     */
    public record Entry(
            String artifactId,
            Application application,
            String family,
            String name,
            String description,
            ArtifactCode code) {

        /** {@inheritDoc} */
        @Override
        public String toString() {
            return artifactId + " (" + family + ", " + application.getPath() + "): " + description;
        }
    }

    /** The code of each family, in catalog order; registering a family is one line here. */
    private static final Map<String, ArtifactCode> FAMILIES = new LinkedHashMap<>();

    static {
        FAMILIES.put(
                "language", new ArtifactCode(DecoderBlockFactory::new, TextTranslatorFactory::new));
        FAMILIES.put(
                "vision",
                new ArtifactCode(
                        VisionMoeBlockFactory::new,
                        GrayscaleImageClassificationTranslatorFactory::new));
        FAMILIES.put(
                "time-series",
                new ArtifactCode(TimeMoeBlockFactory::new, TimeMoeForecastTranslatorFactory::new));
        FAMILIES.put(
                "reward", new ArtifactCode(RewardBlockFactory::new, RewardTranslatorFactory::new));
    }

    private static List<Entry> entries;

    private ZooCatalog() {}

    /**
     * Returns the zoo's models, read from the embedded repository on first use.
     *
     * @return the models, by family (in registration order) then artifact id
     * @throws IllegalStateException if the embedded repository's metadata is unreadable or names
     *     code no family registers
     */
    public static synchronized List<Entry> entries() {
        if (entries == null) {
            try {
                entries = read(ZooRepository.embedded());
            } catch (IOException e) {
                throw new IllegalStateException("The embedded zoo repository is invalid: " + e, e);
            }
        }
        return entries;
    }

    /**
     * Reads the models of a repository that can be listed ({@code file:} or {@code jar:}).
     *
     * @param repository the repository
     * @return its models, by family then artifact id
     * @throws IOException if a {@code metadata.json} is invalid, names another group, or names
     *     factories that no family registers
     */
    public static List<Entry> read(ZooRepository repository) throws IOException {
        List<String> families = new ArrayList<>(FAMILIES.keySet());
        List<MRL> models;
        try {
            models = repository.getResources();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        List<Entry> read = new ArrayList<>();
        for (MRL mrl : models) {
            Metadata metadata = repository.locate(mrl);
            String where = repository.baseUrl() + mrl.toURI() + "metadata.json";
            if (!MoeModelZoo.GROUP_ID.equals(metadata.getGroupId())) {
                throw new IOException(where + ": groupId is not " + MoeModelZoo.GROUP_ID);
            }
            Map<String, Object> arguments = metadata.getArtifacts().get(0).getArguments();
            String family =
                    families.stream()
                            .filter(f -> FAMILIES.get(f).isNamedBy(arguments))
                            .findFirst()
                            .orElseThrow(
                                    () ->
                                            new IOException(
                                                    where
                                                            + ": no family of the zoo runs "
                                                            + arguments.get(
                                                                    ArtifactCode.BLOCK_FACTORY)
                                                            + " with "
                                                            + arguments.get(
                                                                    ArtifactCode.TRANSLATOR_FACTORY)
                                                            + "; families: "
                                                            + families));
            read.add(
                    new Entry(
                            mrl.getArtifactId(),
                            metadata.getApplication(),
                            family,
                            metadata.getName(),
                            metadata.getDescription(),
                            FAMILIES.get(family)));
        }
        read.sort(
                Comparator.comparing((Entry e) -> families.indexOf(e.family()))
                        .thenComparing(Entry::artifactId));
        return List.copyOf(read);
    }

    /**
     * Returns the entry of an artifact.
     *
     * @param artifactId the artifact id
     * @return the entry
     * @throws IllegalArgumentException if the zoo has no such model, listing those it has
     */
    public static Entry entry(String artifactId) {
        return entries().stream()
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
        return entries().stream().map(Entry::artifactId).toList();
    }
}
