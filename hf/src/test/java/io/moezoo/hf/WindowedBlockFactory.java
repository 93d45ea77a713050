package io.moezoo.hf;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.BlockFactory;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.moezoo.models.language.MoeCausalLm;
import io.moezoo.translators.text.ContextWindow;
import io.moezoo.translators.text.IncrementalDecoder;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The {@link HfBlockFactory} model behind a block that declares a {@link ContextWindow} of {@code
 * testContextLength} tokens (a model argument) and decodes incrementally through the model it
 * wraps: test support for the translators' context checks until the zoo's own blocks declare their
 * window.
 */
public final class WindowedBlockFactory implements BlockFactory {

    private static final long serialVersionUID = 1L;

    /** {@inheritDoc} */
    @Override
    public Block newBlock(Model model, Path modelPath, Map<String, ?> arguments)
            throws IOException {
        MoeCausalLm inner =
                (MoeCausalLm) new HfBlockFactory().newBlock(model, modelPath, arguments);
        int contextLength = Integer.parseInt(arguments.get("testContextLength").toString());
        return new Windowed(inner, contextLength);
    }

    /** The wrapper: forwards, decodes through the inner model, declares the window. */
    private static final class Windowed extends AbstractBlock
            implements ContextWindow, IncrementalDecoder {

        private final MoeCausalLm inner;
        private final int contextLength;

        Windowed(MoeCausalLm inner, int contextLength) {
            this.inner = inner;
            this.contextLength = contextLength;
            addChildBlock("model", inner);
        }

        @Override
        public int contextLength() {
            return contextLength;
        }

        @Override
        public Session startDecoding(NDManager manager, NDList past) {
            return inner.startDecoding(manager, past);
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
    }
}
