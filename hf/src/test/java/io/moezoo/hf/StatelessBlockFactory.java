package io.moezoo.hf;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.moezoo.translators.text.IncrementalDecoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The {@link HfBlockFactory} model behind a block that only forwards: it is no {@link
 * IncrementalDecoder}, so the generation translator drives it through the stateless protocol,
 * passing the whole cache to {@code forward} and back at every step.
 */
public final class StatelessBlockFactory implements BlockFactory {

    private static final long serialVersionUID = 1L;

    /** {@inheritDoc} */
    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments)
            throws IOException {
        Block inner = new HfBlockFactory().newBlock(model, modelPath, arguments);
        return new AbstractBlock() {
            {
                addChildBlock("model", inner);
            }

            @Override
            protected NDList forwardInternal(
                    ParameterStore ps,
                    NDList inputs,
                    boolean training,
                    PairList<String, Object> params) {
                return inner.forward(ps, inputs, training, params);
            }

            @Override
            public Shape[] getOutputShapes(Shape[] inputShapes) {
                return inner.getOutputShapes(inputShapes);
            }
        };
    }
}
