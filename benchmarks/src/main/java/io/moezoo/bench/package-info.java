/**
 * The engine benchmark: {@link io.moezoo.bench.CheckpointGenerator} writes checkpoints of real MoE
 * shapes ({@link io.moezoo.bench.BenchShape}) with random weights, {@link
 * io.moezoo.bench.EngineRun} measures one engine on one checkpoint in its own process (load time,
 * prefill and decode tokens per second, peak resident memory), and {@link
 * io.moezoo.bench.BenchRunner} interleaves the contenders' runs with read-bandwidth measurements
 * and writes the table.
 */
package io.moezoo.bench;
