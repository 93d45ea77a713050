package io.moezoo.zoo.repository;

import ai.djl.Application;
import ai.djl.MalformedModelException;
import ai.djl.repository.Artifact;
import ai.djl.repository.MRL;
import ai.djl.repository.Metadata;
import ai.djl.repository.Repository;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelLoader;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Progress;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Loads one zoo artifact: reads its {@code metadata.json} from the repository, picks the newest
 * artifact whose properties match the {@code Criteria} filters and whose translator factory serves
 * the requested types, brings it into the {@link ArtifactCache}, and hands the local directory to
 * DJL ({@code optModelPath}) with the artifact's arguments and options merged under the caller's.
 *
 * <p>Errors fetching or verifying files are {@link ArtifactFetchException}s, not {@link
 * ModelNotFoundException}s, so DJL reports them as they are instead of trying other models.
 */
public final class MoeModelLoader implements ModelLoader {

    private final ZooRepository repository;
    private final ArtifactCache cache;
    private final Application application;
    private final String groupId;
    private final String artifactId;

    /**
     * Creates a loader.
     *
     * @param repository the repository
     * @param cache the local cache
     * @param application the artifact's application
     * @param groupId the group id
     * @param artifactId the artifact id
     */
    public MoeModelLoader(
            ZooRepository repository,
            ArtifactCache cache,
            Application application,
            String groupId,
            String artifactId) {
        this.repository = repository;
        this.cache = cache;
        this.application = application;
        this.groupId = groupId;
        this.artifactId = artifactId;
    }

    /** {@inheritDoc} */
    @Override
    public String getGroupId() {
        return groupId;
    }

    /** {@inheritDoc} */
    @Override
    public String getArtifactId() {
        return artifactId;
    }

    /** {@inheritDoc} */
    @Override
    public Application getApplication() {
        return application;
    }

    /** {@inheritDoc} */
    @Override
    public MRL getMrl() {
        return MRL.model(
                Repository.newInstance("moezoo", repository.baseUrl()),
                application,
                groupId,
                artifactId,
                null,
                null);
    }

    /**
     * Returns the repository this loader reads.
     *
     * @return the repository
     */
    public ZooRepository getRepository() {
        return repository;
    }

    /**
     * Reads this artifact's metadata from the repository.
     *
     * @return the validated metadata
     * @throws IOException if it cannot be fetched or is invalid
     */
    public Metadata metadata() throws IOException {
        return repository.metadata(metadataDirectory(), artifactId);
    }

    /**
     * Reads the model card ({@code card.json}) of the newest artifact from the repository without
     * downloading the model.
     *
     * @return the card's JSON text
     * @throws IOException if the metadata or the card cannot be fetched
     */
    public String card() throws IOException {
        Artifact newest =
                metadata().getArtifacts().stream()
                        .max(Comparator.comparing(Artifact::getParsedVersion))
                        .orElseThrow();
        return repository.readText(metadataDirectory() + newest.getVersion() + "/card.json");
    }

    /**
     * Returns the artifact's metadata directory in the repository.
     *
     * @return e.g. {@code model/nlp/text_generation/io/moezoo/brown-moe/}
     */
    public String metadataDirectory() {
        return ZooRepository.metadataDirectory(application, groupId, artifactId);
    }

    /**
     * Downloads (if needed) the artifact matching the criteria and returns its local directory.
     *
     * @param criteria the criteria (filters and types)
     * @param progress shows the download, may be null
     * @return the artifact directory in the cache
     * @throws IOException if fetching fails
     * @throws ModelNotFoundException if no artifact matches
     */
    public Path prepare(Criteria<?, ?> criteria, Progress progress)
            throws IOException, ModelNotFoundException {
        return cache.prepare(repository, metadataDirectory(), select(criteria), progress);
    }

    /** {@inheritDoc} */
    @Override
    public <I, O> ZooModel<I, O> loadModel(Criteria<I, O> criteria)
            throws IOException, ModelNotFoundException, MalformedModelException {
        Artifact artifact = select(criteria);
        Path dir = cache.prepare(repository, metadataDirectory(), artifact, criteria.getProgress());
        Map<String, Object> arguments = artifact.getArguments(criteria.getArguments());
        Map<String, String> options = artifact.getOptions(criteria.getOptions());
        Criteria.Builder<I, O> builder =
                Criteria.builder()
                        .setTypes(criteria.getInputClass(), criteria.getOutputClass())
                        .optModelPath(dir)
                        .optModelName(artifact.getName())
                        .optEngine(criteria.getEngine() == null ? "PyTorch" : criteria.getEngine())
                        .optArguments(arguments)
                        .optOptions(options);
        if (criteria.getDevice() != null) {
            builder.optDevice(criteria.getDevice());
        }
        if (criteria.getTranslatorFactory() != null) {
            builder.optTranslatorFactory(criteria.getTranslatorFactory());
        }
        if (criteria.getBlock() != null) {
            builder.optBlock(criteria.getBlock());
        }
        return builder.build().loadModel();
    }

    /** {@inheritDoc} */
    @Override
    public <I, O> boolean isDownloaded(Criteria<I, O> criteria)
            throws IOException, ModelNotFoundException {
        return cache.isPrepared(metadataDirectory(), select(criteria));
    }

    /** {@inheritDoc} */
    @Override
    public <I, O> void downloadModel(Criteria<I, O> criteria, Progress progress)
            throws IOException, ModelNotFoundException {
        prepare(criteria, progress);
    }

    private Artifact select(Criteria<?, ?> criteria) throws IOException, ModelNotFoundException {
        Metadata metadata = metadata();
        Map<String, String> filters = criteria.getFilters();
        List<Artifact> matching =
                metadata.getArtifacts().stream()
                        .filter(a -> filters == null || a.hasProperties(filters))
                        .sorted(Comparator.comparing(Artifact::getParsedVersion).reversed())
                        .toList();
        if (matching.isEmpty()) {
            throw new ModelNotFoundException(
                    artifactId + ": no artifact matches the filters " + filters);
        }
        if (criteria.getTranslatorFactory() != null) {
            return matching.get(0);
        }
        for (Artifact artifact : matching) {
            if (serves(artifact, criteria.getInputClass(), criteria.getOutputClass())) {
                return artifact;
            }
        }
        throw new ModelNotFoundException(
                artifactId
                        + ": its translator does not turn "
                        + criteria.getInputClass().getSimpleName()
                        + " into "
                        + criteria.getOutputClass().getSimpleName());
    }

    private static boolean serves(Artifact artifact, Class<?> input, Class<?> output)
            throws ModelNotFoundException {
        Object name = artifact.getArguments().get("translatorFactory");
        if (name == null) {
            return false;
        }
        try {
            TranslatorFactory factory =
                    Class.forName(name.toString())
                            .asSubclass(TranslatorFactory.class)
                            .getConstructor()
                            .newInstance();
            return factory.isSupported(input, output);
        } catch (ReflectiveOperationException | ClassCastException e) {
            throw new ModelNotFoundException(
                    "Translator factory " + name + " of " + artifact + " cannot be created", e);
        }
    }
}
