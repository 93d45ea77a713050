package io.moezoo.recipes.reward;

import static io.moezoo.recipes.reward.OptimiserSteps.adam;
import static io.moezoo.recipes.reward.OptimiserSteps.step;
import static io.moezoo.recipes.reward.RewardModelTraining.LM_BATCH;
import static io.moezoo.recipes.reward.RewardModelTraining.LM_LEARNING_RATE;
import static io.moezoo.recipes.reward.RewardModelTraining.LM_STEPS;
import static io.moezoo.recipes.reward.RewardModelTraining.MAX_PROMPT_BYTES;
import static io.moezoo.recipes.reward.RewardModelTraining.MAX_RESPONSE_BYTES;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import io.moezoo.blocks.surgery.WeightAssignment;
import io.moezoo.models.language.DecoderLayer;
import io.moezoo.models.language.MoeCausalLm;
import io.moezoo.models.reward.EncoderSpec;
import io.moezoo.models.reward.FrozenByteEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Pre-training of the frozen byte-level encoder as a causal LM, and copying its weights into the
 * reward models (stage 1 of {@link RewardModelTraining}).
 */
final class EncoderPretraining {

    private EncoderPretraining() {}

    /**
     * Pre-trains the encoder as a causal LM on random windows of the training files' text (joined
     * by spaces) with next-byte cross-entropy.
     *
     * @param root the manager owning the encoder's parameters
     * @param encoder the encoder, initialised here
     * @param docs the corpus
     * @param seed the seed of the window sampler
     */
    static void pretrain(
            NDManager root, FrozenByteEncoder encoder, List<BrownDocument> docs, long seed) {
        StringBuilder text = new StringBuilder();
        for (BrownDocument d : docs) {
            if (!d.heldOut()) {
                text.append(d.text()).append(' ');
            }
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        int length = MAX_PROMPT_BYTES + MAX_RESPONSE_BYTES;
        encoder.initialize(root, DataType.FLOAT32, new Shape(1, length));
        MoeCausalLm lm = encoder.getLm();
        List<Parameter> parameters = new ArrayList<>();
        for (Pair<String, Parameter> p : lm.getParameters()) {
            parameters.add(p.getValue());
        }
        Optimizer optimizer = adam(LM_LEARNING_RATE);
        Random rng = new Random(seed);
        for (int s = 0; s < LM_STEPS; s++) {
            long[] x = new long[LM_BATCH * length];
            long[] y = new long[LM_BATCH * length];
            for (int b = 0; b < LM_BATCH; b++) {
                int start = rng.nextInt(bytes.length - length - 1);
                for (int i = 0; i < length; i++) {
                    x[b * length + i] = bytes[start + i] & 0xFF;
                    y[b * length + i] = bytes[start + i + 1] & 0xFF;
                }
            }
            float loss =
                    step(
                            root,
                            parameters,
                            optimizer,
                            (scope, ps) -> {
                                NDArray logits =
                                        lm.logits(
                                                ps,
                                                scope.create(x, new Shape(LM_BATCH, length)),
                                                null,
                                                true,
                                                null);
                                NDArray logProbs =
                                        logits.logSoftmax(-1).reshape(-1, EncoderSpec.VOCAB);
                                return logProbs.gather(scope.create(y).reshape(-1, 1), 1)
                                        .mean()
                                        .neg();
                            });
            if (s % 50 == 0 || s == LM_STEPS - 1) {
                System.err.printf(Locale.ROOT, "encoder LM step %d loss %.3f nats/byte%n", s, loss);
            }
        }
    }

    static void copyEncoder(FrozenByteEncoder from, FrozenByteEncoder to) {
        ai.djl.nn.ParameterList source = from.getParameters();
        ai.djl.nn.ParameterList target = to.getParameters();
        for (int i = 0; i < source.size(); i++) {
            if (!source.get(i).getKey().equals(target.get(i).getKey())) {
                throw new IllegalStateException(
                        "Encoder parameters differ: " + source.get(i).getKey());
            }
            WeightAssignment.assign(target.get(i).getValue(), source.get(i).getValue().getArray());
        }
    }

    static void copyLastFfn(FrozenByteEncoder from, Parameter gate, Parameter up, Parameter down) {
        List<DecoderLayer> layers = from.getLm().getLayers();
        DecoderLayer last = layers.get(layers.size() - 1);
        WeightAssignment.assign(gate, last.getDense().getGateProj().getArray());
        WeightAssignment.assign(up, last.getDense().getUpProj().getArray());
        WeightAssignment.assign(down, last.getDense().getDownProj().getArray());
    }
}
