package io.moezoo.zoo;

import ai.djl.repository.zoo.ModelLoader;
import ai.djl.repository.zoo.ModelZoo;
import io.moezoo.zoo.engine.ZooEngines;
import io.moezoo.zoo.repository.MoeModelLoader;
import io.moezoo.zoo.repository.ZooRepository;
import java.util.Set;

/**
 * The MoE Zoo: models trained by this project, found by DJL's {@code Criteria} under group id
 * {@value #GROUP_ID} (registered through {@link MoeZooProvider}).
 *
 * <pre>
 * Criteria.builder().setTypes(Image.class, Classifications.class)
 *         .optGroupId("io.moezoo").optArtifactId("vit-moe-fashion-mnist").build().loadModel();
 * </pre>
 *
 * <p>With {@code io.moezoo:moe-zoo-onnx} and DJL's ONNX Runtime engine on the class path, {@code
 * .optEngine("OnnxRuntime")} loads the same artifacts exported to ONNX, with the same translators
 * ({@link io.moezoo.zoo.engine.ZooEngineProvider}); PyTorch stays the default.
 *
 * <p>Artifacts come from {@link ZooRepository#fromEnvironment()}: the repository embedded in the
 * jar unless {@code moezoo.repository.url} / {@code MOEZOO_REPOSITORY_URL} names another.
 */
public final class MoeModelZoo extends ModelZoo {

    /** The zoo's group id. */
    public static final String GROUP_ID = "io.moezoo";

    private final ZooRepository repository;

    /** Creates the zoo over the configured repository and DJL's cache. */
    public MoeModelZoo() {
        this(ZooRepository.fromEnvironment());
    }

    /**
     * Creates the zoo over a given repository: one loader per model of the {@link ZooCatalog}. (DJL
     * creates the registered zoo while initialising {@code ModelZoo}, so an invalid embedded
     * repository fails there, with the catalog's {@code IllegalStateException}.)
     *
     * @param repository where artifacts come from and are cached ({@link ZooRepository#cachedIn})
     */
    public MoeModelZoo(ZooRepository repository) {
        this.repository = repository;
        for (ZooCatalog.Entry entry : ZooCatalog.entries()) {
            addModel(
                    new MoeModelLoader(
                            repository,
                            entry.application(),
                            GROUP_ID,
                            entry.artifactId(),
                            entry.code()));
        }
    }

    /**
     * Returns the repository this zoo reads.
     *
     * @return the repository
     */
    public ZooRepository getRepository() {
        return repository;
    }

    /**
     * Returns the loader of an artifact.
     *
     * @param artifactId the artifact id
     * @return the loader
     * @throws IllegalArgumentException if the zoo has no such model, listing those it has
     */
    public MoeModelLoader loader(String artifactId) {
        ModelLoader loader = getModelLoader(artifactId);
        if (loader == null) {
            throw new IllegalArgumentException(
                    "No model '"
                            + artifactId
                            + "' in the MoE Zoo; models: "
                            + ZooCatalog.artifactIds());
        }
        return (MoeModelLoader) loader;
    }

    /** {@inheritDoc} */
    @Override
    public String getGroupId() {
        return GROUP_ID;
    }

    /**
     * Returns PyTorch (the zoo's own path and the default) and the engines of {@link ZooEngines}:
     * {@code OnnxRuntime}, served when {@code io.moezoo:moe-zoo-onnx} is on the class path and
     * otherwise refused with a {@link io.moezoo.zoo.engine.ZooEngineUnavailableException} naming
     * it.
     *
     * @return the engine names, PyTorch last
     */
    @Override
    public Set<String> getSupportedEngines() {
        return ZooEngines.supportedEngines();
    }
}
