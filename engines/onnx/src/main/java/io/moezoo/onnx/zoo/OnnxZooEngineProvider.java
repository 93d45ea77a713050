package io.moezoo.onnx.zoo;

import ai.djl.MalformedModelException;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import io.moezoo.onnx.moe.DispatchMode;
import io.moezoo.zoo.engine.PreparedArtifact;
import io.moezoo.zoo.engine.ZooEngineProvider;
import io.moezoo.zoo.engine.ZooEngines;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Loads the zoo's models on DJL's {@code OnnxRuntime} engine for the zoo's ordinary {@code
 * Criteria} path (registered with {@link java.util.ServiceLoader} as a {@link ZooEngineProvider}):
 *
 * <pre>
 * Criteria.builder().setTypes(Image.class, Classifications.class)
 *         .optGroupId("io.moezoo").optArtifactId("vit-moe-fashion-mnist")
 *         .optEngine("OnnxRuntime").build().loadModel();
 * </pre>
 *
 * <p>The artifact the zoo selected and verified is exported on demand into the DJL cache ({@link
 * OnnxCache#ensure(PreparedArtifact, DispatchMode)}, sparse dispatch; exporting builds the block on
 * PyTorch once) and loaded as {@link OnnxCriteria} does: the zoo's translator factory for the
 * artifact (or the criteria's own), the artifact's arguments under the criteria's {@code
 * optArgument}s, the criteria's options, device and progress.
 */
public final class OnnxZooEngineProvider implements ZooEngineProvider {

    /** Creates the provider (trivially: DJL may create it while initialising its zoos). */
    public OnnxZooEngineProvider() {}

    /** {@inheritDoc} */
    @Override
    public String getEngineName() {
        return ZooEngines.ONNX_RUNTIME;
    }

    /** {@inheritDoc} */
    @Override
    public <I, O> ZooModel<I, O> loadModel(PreparedArtifact artifact, Criteria<I, O> criteria)
            throws IOException, ModelNotFoundException, MalformedModelException {
        if (criteria.getBlock() != null) {
            throw new ModelNotFoundException(
                    artifact.artifactId()
                            + ": a block cannot be given for OnnxRuntime (the graph is the model)");
        }
        Path dir = OnnxCache.ensure(artifact, DispatchMode.SPARSE);
        Criteria.Builder<I, O> builder =
                OnnxCriteria.builder(
                        artifact.artifactId(),
                        criteria.getTranslatorFactory(),
                        criteria.getInputClass(),
                        criteria.getOutputClass(),
                        dir);
        if (criteria.getArguments() != null) {
            for (Map.Entry<String, Object> e : criteria.getArguments().entrySet()) {
                builder.optArgument(e.getKey(), e.getValue());
            }
        }
        if (criteria.getOptions() != null) {
            for (Map.Entry<String, String> e : criteria.getOptions().entrySet()) {
                builder.optOption(e.getKey(), e.getValue());
            }
        }
        return builder.optDevice(criteria.getDevice())
                .optProgress(criteria.getProgress())
                .build()
                .loadModel();
    }
}
