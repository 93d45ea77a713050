package io.moezoo.blocks.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Batch;
import ai.djl.training.listener.TrainingListener.BatchData;
import io.moezoo.blocks.Scalars;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One optimizer step over several micro-batches with DJL's {@link Trainer}: each micro-batch's loss
 * is divided by their number and back-propagated, gradients accumulate, and the trainer steps once.
 * Pair it with {@link io.moezoo.blocks.loss.BalanceWindow#globalBatch(int)} to balance experts over
 * the global batch.
 */
public final class GradientAccumulation {

    private GradientAccumulation() {}

    /**
     * Trains one global batch.
     *
     * @param trainer the trainer
     * @param microBatches the micro-batches of the global batch
     * @return the mean loss over the micro-batches
     */
    public static float step(Trainer trainer, List<Batch> microBatches) {
        if (microBatches.isEmpty()) {
            throw new IllegalArgumentException("A global batch needs at least one micro-batch");
        }
        float total = 0;
        BatchData last = null;
        for (Batch batch : microBatches) {
            NDList data = batch.getData();
            NDList labels = batch.getLabels();
            try (GradientCollector collector = trainer.newGradientCollector()) {
                NDList predictions = trainer.forward(data, labels);
                NDArray loss = trainer.getLoss().evaluate(labels, predictions);
                collector.backward(loss.div(Scalars.of(microBatches.size(), loss)));
                total += loss.getFloat();
                last = new BatchData(batch, new ConcurrentHashMap<>(), new ConcurrentHashMap<>());
                last.getLabels().put(labels.head().getDevice(), labels);
                last.getPredictions().put(labels.head().getDevice(), predictions);
            }
        }
        BatchData batchData = last;
        trainer.notifyListeners(listener -> listener.onTrainingBatch(trainer, batchData));
        trainer.step();
        return total / microBatches.size();
    }
}
