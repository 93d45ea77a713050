/**
 * Training support for MoE models on DJL's {@link ai.djl.training.Trainer}: the DeepSeek-V3
 * auxiliary-loss-free bias update, gradient accumulation over micro-batches, and routing statistics
 * logging.
 */
package io.moezoo.blocks.training;
