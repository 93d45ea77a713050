package io.moezoo.engine.djl;

import ai.djl.BaseModel;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.moezoo.engine.model.CausalLm;
import io.moezoo.engine.tensor.TensorSource;
import io.moezoo.engine.tensor.TensorSources;
import io.moezoo.formats.MalformedCheckpointException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A model of the {@value MoeJavaEngine#ENGINE_NAME} engine: {@link #load} validates the checkpoint
 * at the model path, maps its weights in their stored format and makes the block a {@link
 * CausalLmBlock}. The model's weights are the checkpoint's files; closing the model closes them.
 *
 * <p>The block comes from the checkpoint, never from the caller: a {@code Criteria} that sets a
 * block or a block factory is refused.
 */
public final class MoeJavaModel extends BaseModel {

    MoeJavaModel(String name, NDManager manager) {
        super(name);
        this.manager = manager;
        this.manager.setName("MoeJavaModel");
        this.dataType = DataType.FLOAT32;
    }

    /**
     * Refuses a block: the engine builds its model from the checkpoint.
     *
     * @param block the block a caller or a block factory offers
     * @throws UnsupportedOperationException always
     */
    @Override
    public void setBlock(ai.djl.nn.Block block) {
        throw new UnsupportedOperationException(REFUSED_BLOCK);
    }

    private static final String REFUSED_BLOCK =
            "The "
                    + MoeJavaEngine.ENGINE_NAME
                    + " engine builds its model from the checkpoint; do not pass a block or a"
                    + " blockFactory";

    /** {@inheritDoc} */
    @Override
    public void load(Path modelPath, String prefix, Map<String, ?> options)
            throws IOException, MalformedModelException {
        if (block != null) {
            throw new UnsupportedOperationException(REFUSED_BLOCK);
        }
        setModelDir(modelPath);
        TensorSource source;
        try {
            source = TensorSources.open(modelPath);
        } catch (MalformedCheckpointException e) {
            throw new MalformedModelException(e.getMessage(), e);
        }
        try {
            block = new CausalLmBlock(CausalLm.load(source));
        } catch (MalformedCheckpointException e) {
            source.close();
            throw new MalformedModelException(e.getMessage(), e);
        } catch (IOException | RuntimeException e) {
            source.close();
            throw e;
        }
        manager.attachInternal("checkpoint-" + source.hashCode(), source);
        wasLoaded = true;
    }
}
