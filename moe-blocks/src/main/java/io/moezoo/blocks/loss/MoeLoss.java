package io.moezoo.blocks.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.loss.Loss;

/**
 * A DJL {@link Loss} for models with MoE layers: the task loss on the first prediction plus the
 * weighted auxiliary losses the model returned under the name {@value #AUX_LOSS} (present in
 * training passes only). Evaluators keep reading {@code predictions.head()}.
 */
public final class MoeLoss extends Loss {

    /** The name of the NDArray that carries the summed, weighted auxiliary losses. */
    public static final String AUX_LOSS = "aux_loss";

    private final Loss task;

    /**
     * Wraps a task loss.
     *
     * @param task the task loss, e.g. softmax cross-entropy
     */
    public MoeLoss(Loss task) {
        super(task.getName());
        this.task = task;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray loss = task.evaluate(labels, new NDList(predictions.head()));
        if (predictions.contains(AUX_LOSS)) {
            loss = loss.add(predictions.get(AUX_LOSS));
        }
        return loss;
    }
}
