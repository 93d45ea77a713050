package io.moezoo.zoo.repository;

import ai.djl.Application;
import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.nn.Block;
import ai.djl.repository.Artifact;
import ai.djl.repository.Metadata;
import ai.djl.repository.zoo.BaseModelLoader;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Progress;
import io.moezoo.zoo.engine.PreparedArtifact;
import io.moezoo.zoo.engine.ZooEngineProvider;
import io.moezoo.zoo.engine.ZooEngines;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Loads one zoo model with DJL's {@link BaseModelLoader}: the artifact is matched against the
 * {@code Criteria} filters, prepared in the {@link ZooRepository}'s cache, and built with its
 * arguments and options merged under the caller's.
 *
 * <p>What this class adds is that repository data never chooses code. DJL's loader looks up the
 * block and translator factories named in the metadata with a class loader over the model
 * directory; here they are the ones the zoo registered for this model ({@link ArtifactCode}),
 * created and used as objects. The names in the metadata are only compared with them, and a model
 * whose registered translator cannot serve the requested types is not found (rather than handed to
 * DJL's default translator factory, which also looks classes up by name).
 *
 * <p>Models load on PyTorch, the zoo's own path, when the criteria name no engine or {@code
 * "PyTorch"}. For another engine ({@code optEngine("OnnxRuntime")}) the artifact is selected,
 * fetched and verified the same way and then handed, with its registered code, to the {@link
 * ZooEngineProvider} for that engine ({@link ZooEngines#provider}); without one on the class path
 * loading fails with a {@link io.moezoo.zoo.engine.ZooEngineUnavailableException} naming the module
 * to add.
 *
 * <p>Errors fetching or verifying files are {@link ArtifactFetchException}s, not {@link
 * ModelNotFoundException}s, so DJL reports them as they are instead of trying other models. As with
 * DJL's loaders, the metadata is read once per loader (its {@code MRL} keeps it); {@link
 * #metadata()} reads it afresh.
 */
public final class MoeModelLoader extends BaseModelLoader {

    private final ZooRepository repository;
    private final ArtifactCode code;

    /**
     * Creates a loader.
     *
     * @param repository the repository
     * @param application the artifact's application
     * @param groupId the group id
     * @param artifactId the artifact id
     * @param code the block and translator factories this model runs
     */
    public MoeModelLoader(
            ZooRepository repository,
            Application application,
            String groupId,
            String artifactId,
            ArtifactCode code) {
        super(repository.model(application, groupId, artifactId));
        if (!MetadataRules.isPlain(artifactId) || !groupId.matches("[a-z0-9_]+(\\.[a-z0-9_]+)*")) {
            throw new IllegalArgumentException(
                    "Invalid group or artifact id: " + groupId + ":" + artifactId);
        }
        this.repository = repository;
        this.code = code;
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
     * @return the checked metadata, artifacts newest first
     * @throws IOException if it cannot be fetched or is invalid
     */
    public Metadata metadata() throws IOException {
        return repository.locate(mrl);
    }

    /**
     * Reads the model card ({@code card.json}) of the newest artifact from the repository without
     * downloading the model.
     *
     * @return the card's JSON text
     * @throws IOException if the metadata or the card cannot be fetched
     */
    public String card() throws IOException {
        Artifact newest = metadata().getArtifacts().get(0);
        return repository.readText(metadataDirectory() + newest.getVersion() + "/card.json");
    }

    /**
     * Returns the artifact's metadata directory in the repository.
     *
     * @return e.g. {@code model/nlp/text_generation/io/moezoo/brown-moe/}
     */
    public String metadataDirectory() {
        return mrl.toURI().getPath();
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
        Artifact artifact = select(criteria);
        repository.prepare(artifact, progress);
        return repository.getResourceDirectory(artifact);
    }

    /** {@inheritDoc} */
    @Override
    public <I, O> ZooModel<I, O> loadModel(Criteria<I, O> criteria)
            throws IOException, ModelNotFoundException, MalformedModelException {
        String engine = criteria.getEngine();
        if (engine != null && !engine.equals(ZooEngines.PYTORCH)) {
            ZooEngineProvider provider = ZooEngines.provider(engine, getArtifactId());
            Artifact artifact = select(criteria);
            repository.prepare(artifact, criteria.getProgress());
            Map<String, Object> arguments = new LinkedHashMap<>();
            if (artifact.getArguments() != null) {
                arguments.putAll(artifact.getArguments());
            }
            arguments.remove(ArtifactCode.BLOCK_FACTORY);
            arguments.remove(ArtifactCode.TRANSLATOR_FACTORY);
            PreparedArtifact prepared =
                    new PreparedArtifact(
                            getArtifactId(),
                            artifact.getVersion(),
                            repository.getResourceDirectory(artifact),
                            arguments,
                            code);
            return provider.loadModel(prepared, criteria);
        }
        select(criteria);
        return super.loadModel(criteria);
    }

    /** {@inheritDoc} */
    @Override
    public <I, O> boolean isDownloaded(Criteria<I, O> criteria)
            throws IOException, ModelNotFoundException {
        return repository.isPrepared(select(criteria));
    }

    /** {@inheritDoc} */
    @Override
    public <I, O> void downloadModel(Criteria<I, O> criteria, Progress progress)
            throws IOException, ModelNotFoundException {
        prepare(criteria, progress);
    }

    /** The registered translator factory, unless the criteria bring their own. */
    @Override
    protected TranslatorFactory getTranslatorFactory(
            Criteria<?, ?> criteria, Map<String, Object> arguments) {
        return criteria.getTranslatorFactory() != null
                ? criteria.getTranslatorFactory()
                : code.newTranslatorFactory();
    }

    /**
     * The model with the registered block factory's block, unless the criteria bring one, always on
     * PyTorch: this path is reached only for criteria naming PyTorch or no engine, and for the
     * latter DJL may pick its default engine from the zoo's list ({@code engine}), which is not the
     * zoo's path.
     */
    @Override
    protected Model createModel(
            Path modelPath,
            String name,
            Device device,
            Block block,
            Map<String, Object> arguments,
            String engine)
            throws IOException {
        Model model = Model.newInstance(name, device, ZooEngines.PYTORCH);
        try {
            model.setBlock(
                    block != null
                            ? block
                            : code.newBlockFactory().newBlock(model, modelPath, arguments));
            for (Map.Entry<String, Object> e : arguments.entrySet()) {
                if (!e.getKey().equals(ArtifactCode.BLOCK_FACTORY)
                        && !e.getKey().equals(ArtifactCode.TRANSLATOR_FACTORY)) {
                    model.setProperty(e.getKey(), String.valueOf(e.getValue()));
                }
            }
            return model;
        } catch (IOException | RuntimeException | Error e) {
            model.close();
            throw e;
        }
    }

    /**
     * The artifact the criteria select (the newest that matches), after checking that every
     * matching artifact names only the registered code and that this code serves the types.
     */
    private Artifact select(Criteria<?, ?> criteria) throws IOException, ModelNotFoundException {
        Artifact selected = mrl.match(criteria.getFilters());
        if (selected == null) {
            throw new ModelNotFoundException(
                    getArtifactId() + ": no artifact matches the filters " + criteria.getFilters());
        }
        for (Artifact artifact : mrl.listArtifacts()) {
            code.checkNames(
                    artifact.getArguments(),
                    repository.baseUrl() + metadataDirectory() + " " + artifact);
        }
        if (criteria.getTranslatorFactory() == null
                && !code.newTranslatorFactory()
                        .isSupported(criteria.getInputClass(), criteria.getOutputClass())) {
            throw new ModelNotFoundException(
                    getArtifactId()
                            + ": its translator does not turn "
                            + criteria.getInputClass().getSimpleName()
                            + " into "
                            + criteria.getOutputClass().getSimpleName());
        }
        return selected;
    }

    /** {@inheritDoc} */
    @Override
    public String toString() {
        return mrl + " in " + repository;
    }
}
