/**
 * The reward-model family, trained with {@link io.moezoo.models.reward.PairwiseLoss}:
 *
 * <ul>
 *   <li>over a frozen causal language model ({@link io.moezoo.models.reward.LmRewardSpec}): a
 *       DMoERM-style double-layer MoE ({@link io.moezoo.models.reward.LmDoubleLayerRewardModel})
 *       whose capability experts read the language model's log-likelihood statistics of the
 *       response with and without the prompt ({@link
 *       io.moezoo.models.reward.LanguageModelFeatures});
 *   <li>over one frozen byte-level encoder ({@link io.moezoo.models.reward.FrozenByteEncoder},
 *       {@link io.moezoo.models.reward.RewardModelSpec}): a DMoERM-style double-layer MoE of LoRA
 *       experts ({@link io.moezoo.models.reward.DoubleLayerMoeRewardModel}), an ArmoRM-style
 *       multi-objective model with a gating network ({@link
 *       io.moezoo.models.reward.ArmoRewardModel}) and a dense LoRA baseline ({@link
 *       io.moezoo.models.reward.DenseRewardModel}).
 * </ul>
 */
package io.moezoo.models.reward;
