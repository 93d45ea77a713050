/**
 * The reward-model family: a DMoERM-style double-layer MoE ({@link
 * io.moezoo.models.reward.DoubleLayerMoeRewardModel}), an ArmoRM-style multi-objective model with a
 * gating network ({@link io.moezoo.models.reward.ArmoRewardModel}) and a dense LoRA baseline
 * ({@link io.moezoo.models.reward.DenseRewardModel}), all over one frozen byte-level encoder
 * ({@link io.moezoo.models.reward.FrozenByteEncoder}), trained with {@link
 * io.moezoo.models.reward.PairwiseLoss}.
 */
package io.moezoo.models.reward;
