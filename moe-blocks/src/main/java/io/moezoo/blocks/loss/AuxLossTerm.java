package io.moezoo.blocks.loss;

/**
 * An auxiliary loss with its coefficient (for example {@code router_aux_loss_coef} or {@code
 * router_z_loss_coef}).
 *
 * @param loss the loss
 * @param coefficient the factor it enters the total loss with, &gt;= 0
 */
public record AuxLossTerm(AuxiliaryLoss loss, float coefficient) {

    /**
     * Validates the term.
     *
     * @param loss the loss
     * @param coefficient the coefficient
     */
    public AuxLossTerm {
        if (loss == null || !(coefficient >= 0) || Float.isInfinite(coefficient)) {
            throw new IllegalArgumentException(
                    "An auxiliary loss term needs a loss and a finite coefficient >= 0, got "
                            + coefficient);
        }
    }
}
