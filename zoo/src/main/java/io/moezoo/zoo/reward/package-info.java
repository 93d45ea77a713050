/**
 * The zoo's reward-model family, trained on preference pairs built from the Brown corpus: a
 * DMoERM-style double-layer MoE ({@link io.moezoo.zoo.reward.DoubleLayerMoeRewardModel}), an
 * ArmoRM-style multi-objective model with a gating network ({@link
 * io.moezoo.zoo.reward.ArmoRewardModel}) and a dense LoRA baseline ({@link
 * io.moezoo.zoo.reward.DenseRewardModel}), all over one frozen byte-level encoder ({@link
 * io.moezoo.zoo.reward.FrozenByteEncoder}). {@link io.moezoo.zoo.reward.RewardModelTraining} trains
 * them; {@link io.moezoo.zoo.reward.RewardEvaluator} re-measures held-out accuracy.
 */
package io.moezoo.zoo.reward;
