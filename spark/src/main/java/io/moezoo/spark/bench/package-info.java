/** The Spark batch-inference benchmark ({@link io.moezoo.spark.bench.SparkBenchmark}). */
package io.moezoo.spark.bench;
