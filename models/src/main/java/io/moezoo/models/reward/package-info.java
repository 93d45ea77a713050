/**
 * The reward-model family, trained with {@link io.moezoo.models.reward.PairwiseLoss}:
 *
 * <ul>
 *   <li>over a frozen causal language model, both reading its log-likelihood statistics of the
 *       response with and without the prompt ({@link
 *       io.moezoo.models.reward.LanguageModelFeatures}, windowed by {@link
 *       io.moezoo.models.reward.LmFeatureWindow}): a DMoERM-style double-layer MoE ({@link
 *       io.moezoo.models.reward.LmDoubleLayerRewardModel}, {@link
 *       io.moezoo.models.reward.LmRewardSpec}) and an ArmoRM-style regression mixed by a gating
 *       network over the prompt ({@link io.moezoo.models.reward.LmArmoRewardModel}, {@link
 *       io.moezoo.models.reward.LmArmoRewardSpec});
 *   <li>over one frozen byte-level encoder ({@link io.moezoo.models.reward.FrozenByteEncoder},
 *       {@link io.moezoo.models.reward.RewardModelSpec}): a DMoERM-style double-layer MoE of LoRA
 *       experts ({@link io.moezoo.models.reward.DoubleLayerMoeRewardModel}), an ArmoRM-style
 *       multi-objective model with a gating network ({@link
 *       io.moezoo.models.reward.ArmoRewardModel}) and a dense LoRA baseline ({@link
 *       io.moezoo.models.reward.DenseRewardModel}).
 * </ul>
 */
package io.moezoo.models.reward;
