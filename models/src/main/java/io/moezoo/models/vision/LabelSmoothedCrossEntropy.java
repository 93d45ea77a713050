package io.moezoo.models.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.Loss;
import io.moezoo.blocks.Scalars;

/**
 * Softmax cross-entropy against label-smoothed targets (Szegedy et al. 2016), averaged over the
 * batch.
 *
 * <p>With {@code K} classes, smoothing ε, logits {@code z} and the true class {@code y}, the target
 * distribution is {@code q_k = (1 - ε)·[k = y] + ε / K} and the loss of one example is {@code -Σ_k
 * q_k · log softmax(z)_k}. ε = 0 is plain softmax cross-entropy.
 *
 * <p>Labels are class indices {@code [B]} (any numeric type); predictions are logits {@code [B,
 * K]}. Every constant on the gradient path is an NDArray ({@link Scalars}), never a Java number.
 */
public final class LabelSmoothedCrossEntropy extends Loss {

    private final float smoothing;

    /**
     * Creates the loss.
     *
     * @param smoothing ε in [0, 1)
     * @throws IllegalArgumentException if ε is outside [0, 1)
     */
    public LabelSmoothedCrossEntropy(float smoothing) {
        super("SoftmaxCrossEntropyLoss");
        if (!(smoothing >= 0 && smoothing < 1)) {
            throw new IllegalArgumentException(
                    "Label smoothing must be in [0, 1), got " + smoothing);
        }
        this.smoothing = smoothing;
    }

    /**
     * Returns ε.
     *
     * @return the smoothing
     */
    public float getSmoothing() {
        return smoothing;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray logits = predictions.head();
        long classes = logits.getShape().get(logits.getShape().dimension() - 1);
        NDArray logProb = logits.logSoftmax(-1);
        NDArray target =
                labels.head()
                        .toType(DataType.INT32, false)
                        .oneHot((int) classes)
                        .toType(logProb.getDataType(), false);
        target =
                target.mul(Scalars.of(1 - smoothing, target))
                        .add(Scalars.of(smoothing / classes, target));
        return target.mul(logProb).sum(new int[] {-1}).mean().neg();
    }
}
