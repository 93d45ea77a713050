package io.moezoo.zoo.repository;

import ai.djl.Application;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.repository.Artifact;
import ai.djl.repository.MRL;
import ai.djl.repository.Metadata;
import ai.djl.repository.Repository;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelLoader;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
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
 * the requested types, brings it into the {@link ArtifactCache}, and builds the model from the
 * local directory with the artifact's arguments and options merged under the caller's.
 *
 * <p>Repository data never chooses code: the block factory and translator factory are the ones the
 * zoo registered for this model ({@link ArtifactCode}), created here and used as objects. Class
 * names in the metadata are only compared with them; the artifact directory is checked to hold no
 * code ({@link ArtifactContents}); and DJL's directory-based loader (which reads {@code
 * serving.properties} and builds a class loader over the model directory) is not used.
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
    private final ArtifactCode code;

    /**
     * Creates a loader.
     *
     * @param repository the repository
     * @param cache the local cache
     * @param application the artifact's application
     * @param groupId the group id
     * @param artifactId the artifact id
     * @param code the block and translator factories this model runs
     */
    public MoeModelLoader(
            ZooRepository repository,
            ArtifactCache cache,
            Application application,
            String groupId,
            String artifactId,
            ArtifactCode code) {
        if (!ArtifactNames.isPlain(artifactId) || !groupId.matches("[a-z0-9_]+(\\.[a-z0-9_]+)*")) {
            throw new IllegalArgumentException(
                    "Invalid group or artifact id: " + groupId + ":" + artifactId);
        }
        this.repository = repository;
        this.cache = cache;
        this.application = application;
        this.groupId = groupId;
        this.artifactId = artifactId;
        this.code = code;
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
        ArtifactContents.checkNoCode(dir);
        Map<String, Object> arguments = artifact.getArguments(criteria.getArguments());
        Map<String, String> options = artifact.getOptions(criteria.getOptions());
        TranslatorFactory translatorFactory =
                criteria.getTranslatorFactory() != null
                        ? criteria.getTranslatorFactory()
                        : code.newTranslatorFactory();
        String engine = criteria.getEngine() == null ? "PyTorch" : criteria.getEngine();
        Model model = Model.newInstance(artifact.getName(), criteria.getDevice(), engine);
        try {
            Block block =
                    criteria.getBlock() != null
                            ? criteria.getBlock()
                            : code.newBlockFactory().newBlock(model, dir, arguments);
            model.setBlock(block);
            for (Map.Entry<String, Object> e : arguments.entrySet()) {
                if (!e.getKey().equals(ArtifactCode.BLOCK_FACTORY)
                        && !e.getKey().equals(ArtifactCode.TRANSLATOR_FACTORY)) {
                    model.setProperty(e.getKey(), String.valueOf(e.getValue()));
                }
            }
            model.load(dir, artifact.getName(), options);
            Translator<I, O> translator =
                    translatorFactory.newInstance(
                            criteria.getInputClass(), criteria.getOutputClass(), model, arguments);
            return new ZooModel<>(model, translator);
        } catch (TranslateException e) {
            model.close();
            throw new ModelNotFoundException(
                    artifactId + ": no translator for the requested types", e);
        } catch (IOException | MalformedModelException | RuntimeException | Error e) {
            model.close();
            throw e;
        }
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
        for (Artifact artifact : matching) {
            code.checkNames(
                    artifact.getArguments(),
                    repository.baseUrl() + metadataDirectory() + " " + artifact);
        }
        if (criteria.getTranslatorFactory() != null
                || code.newTranslatorFactory()
                        .isSupported(criteria.getInputClass(), criteria.getOutputClass())) {
            return matching.get(0);
        }
        throw new ModelNotFoundException(
                artifactId
                        + ": its translator does not turn "
                        + criteria.getInputClass().getSimpleName()
                        + " into "
                        + criteria.getOutputClass().getSimpleName());
    }
}
