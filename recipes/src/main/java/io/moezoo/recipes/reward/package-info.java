/**
 * The reward family's recipe: preference pairs built from the Brown corpus ({@link
 * io.moezoo.recipes.reward.PreferencePairBuilder}), training ({@link
 * io.moezoo.recipes.reward.RewardModelTraining}) and held-out evaluation ({@link
 * io.moezoo.recipes.reward.RewardEvaluator}).
 */
package io.moezoo.recipes.reward;
