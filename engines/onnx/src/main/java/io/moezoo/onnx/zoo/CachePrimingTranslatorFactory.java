package io.moezoo.onnx.zoo;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Pair;
import java.lang.reflect.Type;
import java.util.Map;
import java.util.Set;

/**
 * Wraps the language translators for an exported decoder: ONNX Runtime needs every graph input, so
 * a prefill also gets zero-length {@code past_key_<l>}/{@code past_value_<l>} arrays, shaped from
 * the graph's {@value #CACHE_METADATA} metadata. Decode steps already pass the cache the graph
 * returned, through the translators' generic (non-incremental) path.
 */
public final class CachePrimingTranslatorFactory implements TranslatorFactory {

    /** The graph metadata key listing each layer's {@code kvHeads:headDim}, comma-separated. */
    public static final String CACHE_METADATA = "moezoo.kv_cache";

    private final TranslatorFactory delegate;

    /**
     * Wraps a translator factory.
     *
     * @param delegate the language translator factory of the zoo
     */
    public CachePrimingTranslatorFactory(TranslatorFactory delegate) {
        this.delegate = delegate;
    }

    /** {@inheritDoc} */
    @Override
    public Set<Pair<Type, Type>> getSupportedTypes() {
        return delegate.getSupportedTypes();
    }

    /** {@inheritDoc} */
    @Override
    public <I, O> Translator<I, O> newInstance(
            Class<I> input, Class<O> output, Model model, Map<String, ?> arguments)
            throws TranslateException {
        return new Priming<>(delegate.newInstance(input, output, model, arguments));
    }

    private static final class Priming<I, O> implements Translator<I, O> {

        private final Translator<I, O> inner;

        Priming(Translator<I, O> inner) {
            this.inner = inner;
        }

        @Override
        public NDList processInput(TranslatorContext ctx, I input) throws Exception {
            NDList ids = inner.processInput(ctx, input);
            String layout = ctx.getModel().getBlock().getCustomMetadata().get(CACHE_METADATA);
            if (layout == null || ids.size() != 1) {
                return ids;
            }
            NDArray first = ids.get(0);
            long batch = first.getShape().get(0);
            NDList primed = new NDList(first);
            for (String layer : layout.split(",")) {
                String[] dims = layer.split(":");
                Shape shape = new Shape(batch, Long.parseLong(dims[0]), 0, Long.parseLong(dims[1]));
                for (int kv = 0; kv < 2; kv++) {
                    primed.add(ctx.getNDManager().create(new float[0], shape));
                }
            }
            return primed;
        }

        @Override
        public O processOutput(TranslatorContext ctx, NDList list) throws Exception {
            return inner.processOutput(ctx, list);
        }

        @Override
        public Batchifier getBatchifier() {
            return inner.getBatchifier();
        }

        @Override
        public void prepare(TranslatorContext ctx) throws Exception {
            inner.prepare(ctx);
        }
    }
}
