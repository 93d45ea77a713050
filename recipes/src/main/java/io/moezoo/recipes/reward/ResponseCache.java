package io.moezoo.recipes.reward;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.moezoo.models.reward.FrozenByteEncoder;
import io.moezoo.models.reward.MaskedMean;
import io.moezoo.translators.reward.EncodedResponse;
import io.moezoo.translators.reward.InvalidRewardInputException;
import io.moezoo.translators.reward.RewardTextEncoding;
import java.util.List;

/**
 * The frozen encoder's outputs for every response of a pair list, computed once: row {@code 2i} is
 * pair i's chosen response, row {@code 2i + 1} its rejected one. Holds the residual stream before
 * the last FFN at the response positions {@code [2P, R, H]} (float16), the response mask {@code
 * [2P, R]} and the mean-pooled final states of the prompt and the response {@code [2P, H]}. Because
 * the reward models adapt only the (position-wise) last FFN, these suffice to train them.
 */
final class ResponseCache implements AutoCloseable {

    private final NDManager manager;
    private final NDArray residual;
    private final NDArray mask;
    private final NDArray prompt;
    private final NDArray response;

    private ResponseCache(
            NDManager manager, NDArray residual, NDArray mask, NDArray prompt, NDArray response) {
        this.manager = manager;
        this.residual = residual;
        this.mask = mask;
        this.prompt = prompt;
        this.response = response;
    }

    /**
     * Encodes all responses.
     *
     * @param parent the manager the cache lives under
     * @param encoder the frozen encoder
     * @param pairs the pairs
     * @return the cache
     */
    static ResponseCache encode(
            NDManager parent, FrozenByteEncoder encoder, List<RewardPair> pairs) {
        RewardTextEncoding encoding =
                new RewardTextEncoding(
                        RewardModelTraining.MAX_PROMPT_BYTES,
                        RewardModelTraining.MAX_RESPONSE_BYTES);
        int s = encoding.sequenceLength();
        int r = encoding.getMaxResponseBytes();
        int h = encoder.getSpec().hiddenSize();
        NDManager manager = parent.newSubManager();
        NDList residuals = new NDList();
        NDList masks = new NDList();
        NDList prompts = new NDList();
        NDList responses = new NDList();
        int batchPairs = RewardModelTraining.ENCODE_BATCH / 2;
        for (int from = 0; from < pairs.size(); from += batchPairs) {
            int n = 2 * Math.min(batchPairs, pairs.size() - from);
            long[] ids = new long[n * s];
            float[] promptMask = new float[n * s];
            float[] responseMask = new float[n * s];
            long[] gather = new long[n * r];
            float[] gatheredMask = new float[n * r];
            for (int row = 0; row < n; row++) {
                RewardPair pair = pairs.get(from + row / 2);
                EncodedResponse e;
                try {
                    e =
                            encoding.encode(
                                    pair.prompt(),
                                    row % 2 == 0 ? pair.chosen() : pair.rejected(),
                                    "response");
                } catch (InvalidRewardInputException ex) {
                    throw new IllegalStateException(
                            "A built pair does not encode: " + ex.getMessage(), ex);
                }
                System.arraycopy(e.ids(), 0, ids, row * s, s);
                System.arraycopy(e.promptMask(), 0, promptMask, row * s, s);
                System.arraycopy(e.responseMask(), 0, responseMask, row * s, s);
                for (int j = 0; j < r; j++) {
                    gather[row * r + j] = (long) row * s + Math.min(s - 1, e.promptLength() + j);
                    gatheredMask[row * r + j] = j < e.responseLength() ? 1f : 0f;
                }
            }
            try (NDManager scope = manager.newSubManager()) {
                ParameterStore ps = new ParameterStore(scope, false);
                NDArray h0 = encoder.beforeLastFfn(ps, scope.create(ids, new Shape(n, s)));
                NDArray base =
                        encoder.finish(ps, h0, encoder.baseFfn(ps, encoder.ffnInput(ps, h0)));
                NDArray p = MaskedMean.of(base, scope.create(promptMask, new Shape(n, s)));
                NDArray z = MaskedMean.of(base, scope.create(responseMask, new Shape(n, s)));
                NDArray picked =
                        h0.reshape(-1, h)
                                .get(new NDIndex("{}", scope.create(gather)))
                                .reshape(n, r, h)
                                .toType(DataType.FLOAT16, false);
                NDArray m = scope.create(gatheredMask, new Shape(n, r));
                for (NDArray a : new NDArray[] {picked, m, p, z}) {
                    a.attach(manager);
                }
                residuals.add(picked);
                masks.add(m);
                prompts.add(p);
                responses.add(z);
            }
        }
        ResponseCache cache =
                new ResponseCache(
                        manager,
                        NDArrays.concat(residuals, 0),
                        NDArrays.concat(masks, 0),
                        NDArrays.concat(prompts, 0),
                        NDArrays.concat(responses, 0));
        for (NDList parts : List.of(residuals, masks, prompts, responses)) {
            parts.close();
        }
        return cache;
    }

    /**
     * Returns the cache rows of pairs: {@code 2i, 2i + 1} for each pair i.
     *
     * @param pairs pair indices
     * @return row indices
     */
    static long[] rowsOf(int[] pairs) {
        long[] rows = new long[2 * pairs.length];
        for (int i = 0; i < pairs.length; i++) {
            rows[2 * i] = 2L * pairs[i];
            rows[2 * i + 1] = 2L * pairs[i] + 1;
        }
        return rows;
    }

    private NDArray rows(NDArray source, NDManager scope, int[] pairs) {
        NDArray out = source.get(new NDIndex("{}", scope.create(rowsOf(pairs))));
        out.attach(scope);
        return out;
    }

    /**
     * Returns the responses of pairs (chosen, rejected interleaved).
     *
     * @param scope the manager of the result
     * @param pairs pair indices
     * @return {@code [residual [2B, R, H] float32, mask [2B, R]]}
     */
    NDList responses(NDManager scope, int[] pairs) {
        return new NDList(
                rows(residual, scope, pairs).toType(DataType.FLOAT32, false),
                rows(mask, scope, pairs));
    }

    /**
     * Returns the pooled prompt states of the rows of pairs.
     *
     * @param scope the manager of the result
     * @param pairs pair indices
     * @return {@code [2B, H]}
     */
    NDArray promptEmbeddings(NDManager scope, int[] pairs) {
        return rows(prompt, scope, pairs);
    }

    /**
     * Returns the pooled response states of the rows of pairs.
     *
     * @param scope the manager of the result
     * @param pairs pair indices
     * @return {@code [2B, H]}
     */
    NDArray responseEmbeddings(NDManager scope, int[] pairs) {
        return rows(response, scope, pairs);
    }

    /**
     * Returns all pooled response states as one array, row-major {@code [2P, H]}.
     *
     * @return the values
     */
    float[] responseEmbeddingValues() {
        return response.toFloatArray();
    }

    @Override
    public void close() {
        manager.close();
    }
}
