package io.moezoo.engine.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.moezoo.engine.model.CausalLm;
import io.moezoo.engine.model.KvCache;
import io.moezoo.translators.text.BatchDecoder;
import io.moezoo.translators.text.ContextWindow;
import io.moezoo.translators.text.IncrementalDecoder;
import java.util.HashMap;
import java.util.Map;

/**
 * The DJL block of a {@link CausalLm}, speaking the project's language-model protocol: {@code [ids
 * [1, S], k_0, v_0, …] -> [logits [1, S, V], k_0, v_0, …]} where {@code k_l, v_l} are layer l's
 * cached keys and values as {@code [positions, width]} float32 arrays, and, for generation, an
 * {@link IncrementalDecoder} whose sessions keep the cache on the engine between steps. It has no
 * parameters (the weights are the mapped checkpoint) and does not train.
 */
public final class CausalLmBlock extends AbstractBlock
        implements IncrementalDecoder, BatchDecoder, ContextWindow {

    private static final byte VERSION = 1;

    private final CausalLm model;

    /**
     * Wraps a model.
     *
     * @param model the engine model
     */
    public CausalLmBlock(CausalLm model) {
        super(VERSION);
        this.model = model;
    }

    /**
     * Returns the engine model.
     *
     * @return the model
     */
    public CausalLm getModel() {
        return model;
    }

    /** {@inheritDoc} */
    @Override
    public int contextLength() {
        return model.spec().maxPositionEmbeddings();
    }

    /** {@inheritDoc} */
    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        if (training) {
            throw new UnsupportedOperationException(
                    "The " + MoeJavaEngine.ENGINE_NAME + " engine only runs inference");
        }
        NDArray ids = inputs.head();
        KvCache cache = cacheOf(inputs.subNDList(1));
        NDManager manager = ids.getManager();
        NDList out = new NDList(run(ids, cache));
        int layers = model.spec().numLayers();
        for (int l = 0; l < layers; l++) {
            for (boolean values : new boolean[] {false, true}) {
                float[] data = cache.export(l, values);
                out.add(
                        manager.create(
                                data,
                                new Shape(
                                        cache.length(),
                                        data.length / Math.max(1, cache.length()))));
            }
        }
        return out;
    }

    private NDArray run(NDArray ids, KvCache cache) {
        Shape shape = ids.getShape();
        if (shape.dimension() != 2 || shape.get(0) != 1) {
            throw new IllegalArgumentException(
                    "Token ids must have shape [1, S] (one sequence), got " + shape);
        }
        long[] tokens = ids.toType(DataType.INT64, false).toLongArray();
        float[] logits = model.forward(tokens, cache, false);
        return ids.getManager()
                .create(logits, new Shape(1, tokens.length, model.spec().vocabSize()));
    }

    private KvCache cacheOf(NDList past) {
        KvCache cache = model.newCache();
        int layers = model.spec().numLayers();
        if (past.isEmpty()) {
            return cache;
        }
        if (past.size() != 2 * layers) {
            throw new IllegalArgumentException(
                    "Expected the keys and values of "
                            + layers
                            + " layers ("
                            + 2 * layers
                            + " arrays), got "
                            + past.size());
        }
        int positions = Math.toIntExact(past.get(0).getShape().get(0));
        float[][] keys = new float[layers][];
        float[][] values = new float[layers][];
        for (int l = 0; l < layers; l++) {
            keys[l] = past.get(2 * l).toType(DataType.FLOAT32, false).toFloatArray();
            values[l] = past.get(2 * l + 1).toType(DataType.FLOAT32, false).toFloatArray();
        }
        cache.importPositions(keys, values, positions);
        return cache;
    }

    /** {@inheritDoc} */
    @Override
    public IncrementalDecoder.Session startDecoding(NDManager manager, NDList past) {
        KvCache cache = cacheOf(past);
        return new IncrementalDecoder.Session() {
            @Override
            public NDArray next(ParameterStore ps, NDArray ids) {
                return run(ids, cache);
            }

            @Override
            public void close() {}
        };
    }

    /** {@inheritDoc} */
    @Override
    public BatchDecoder.Batch newBatch() {
        return new BatchDecoder.Batch() {
            private final Map<Integer, KvCache> caches = new HashMap<>();
            private int next;

            @Override
            public int add() {
                caches.put(next, model.newCache());
                return next++;
            }

            @Override
            public void remove(int sequence) {
                caches.remove(sequence);
            }

            @Override
            public float[][] run(int[] sequences, long[][] tokens) {
                KvCache[] chosen = new KvCache[sequences.length];
                for (int i = 0; i < sequences.length; i++) {
                    chosen[i] = caches.get(sequences[i]);
                    if (chosen[i] == null) {
                        throw new IllegalArgumentException(
                                "No sequence " + sequences[i] + " in this batch");
                    }
                }
                return model.forwardLast(tokens, chosen);
            }

            @Override
            public void close() {
                caches.clear();
            }
        };
    }

    /** {@inheritDoc} */
    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0].addAll(new Shape(model.spec().vocabSize()))};
    }
}
