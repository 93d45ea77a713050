package io.moezoo.models.timeseries;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.loss.Loss;
import io.moezoo.blocks.Scalars;
import io.moezoo.blocks.loss.MoeLoss;
import io.moezoo.translators.timeseries.TimeMoeForecastTranslator;

/**
 * Time-MoE's training loss ({@code TimeMoeForPrediction.calc_ar_loss} averaged over heads, plus the
 * auxiliary loss): \[ L = \frac{1}{|\mathcal H|} \sum_{h \in \mathcal H} \frac{\sum_{b,t,j \lt h}
 * m_{b,t,j}\, \ell_\delta(\hat x^{(h)}_{b,t,j} - y_{b,t,j})}{\sum_{b,t,j \lt h} m_{b,t,j}} +
 * \alpha\, \mathrm{LBL} \] where \(y_{b,t,j} = x_{b,t+1+j}\) and the mask m is 0 where that value
 * lies beyond the series (Time-MoE pads labels and masks with 0). The aux term is read from the
 * prediction named {@value MoeLoss#AUX_LOSS} (already weighted by the model).
 *
 * <p>Labels: {@code [targets [B, S, maxH], mask [B, S, maxH]]}. Predictions: the forecaster's heads
 * {@code [B, S, h]} named {@code horizon_<h>}, then optionally the aux loss.
 */
public final class TimeMoeLoss extends Loss {

    private final float delta;

    /**
     * Creates the loss.
     *
     * @param delta the Huber δ (Time-MoE: 2)
     */
    public TimeMoeLoss(float delta) {
        super("time_moe_loss");
        this.delta = delta;
    }

    /** {@inheritDoc} */
    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray targets = labels.get(0);
        NDArray mask = labels.get(1);
        NDArray total = null;
        int heads = 0;
        for (NDArray prediction : predictions) {
            String name = prediction.getName();
            if (name == null || !name.startsWith(TimeMoeForecastTranslator.HEAD_PREFIX)) {
                continue;
            }
            long h = prediction.getShape().get(2);
            NDIndex first = new NDIndex(":, :, :{}", h);
            NDArray m = mask.get(first);
            NDArray losses = HuberLoss.elementwise(prediction.sub(targets.get(first)), delta);
            NDArray head = losses.mul(m).sum().div(m.sum());
            total = total == null ? head : total.add(head);
            heads++;
        }
        if (total == null) {
            throw new IllegalArgumentException("No forecast heads among the predictions");
        }
        NDArray loss = total.div(Scalars.of(heads, total));
        if (predictions.contains(MoeLoss.AUX_LOSS)) {
            loss = loss.add(predictions.get(MoeLoss.AUX_LOSS));
        }
        return loss;
    }
}
