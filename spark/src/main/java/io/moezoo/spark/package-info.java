/**
 * Spark batch inference with the MoE Zoo models: {@link io.moezoo.spark.ImageClassifier}, {@link
 * io.moezoo.spark.Forecaster}, {@link io.moezoo.spark.PreferenceScorer} and {@link
 * io.moezoo.spark.TextGenerator} map a {@code Dataset<Row>} to a {@code Dataset<Row>} of results
 * with one model per executor JVM ({@link io.moezoo.spark.ExecutorModels}) and one predictor per
 * partition ({@link io.moezoo.spark.PartitionInference}); {@link io.moezoo.spark.MoeZooSparkJob} is
 * the {@code spark-submit} main.
 */
package io.moezoo.spark;
