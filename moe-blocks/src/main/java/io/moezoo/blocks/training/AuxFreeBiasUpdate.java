package io.moezoo.blocks.training;

import ai.djl.nn.Block;
import ai.djl.training.Trainer;
import ai.djl.training.listener.TrainingListenerAdapter;
import io.moezoo.blocks.layer.BlockTree;
import io.moezoo.blocks.routing.GroupLimitedRouter;
import java.util.List;

/**
 * DeepSeek-V3 auxiliary-loss-free balancing: after every training batch, each group-limited router
 * with a {@code biasUpdateRate} γ moves its correction bias \(b_e \leftarrow b_e +
 * \gamma\,\mathrm{sign}(\bar c - c_e)\) with the loads counted in that batch. The bias steers
 * selection only, never the combine weights.
 */
public final class AuxFreeBiasUpdate extends TrainingListenerAdapter {

    private final List<GroupLimitedRouter> routers;

    /**
     * Creates the listener for the biased routers of a model.
     *
     * @param model the model's root block
     */
    public AuxFreeBiasUpdate(Block model) {
        routers =
                BlockTree.find(model, GroupLimitedRouter.class).stream()
                        .filter(r -> r.getSpec().biasUpdateRate() > 0)
                        .toList();
        if (routers.isEmpty()) {
            throw new IllegalArgumentException(
                    "The model has no GROUP_LIMITED router with a correction bias and biasUpdateRate > 0");
        }
    }

    /** {@inheritDoc} */
    @Override
    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
        for (GroupLimitedRouter router : routers) {
            router.updateBias();
        }
    }
}
