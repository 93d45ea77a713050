/**
 * The engine benchmark: {@link io.moezoo.bench.CheckpointGenerator} writes checkpoints of real MoE
 * shapes ({@link io.moezoo.bench.BenchShape}) with random weights, {@link
 * io.moezoo.bench.EngineRun} measures one engine on one checkpoint in its own process (load time,
 * prefill and decode tokens per second, peak resident memory), and {@link
 * io.moezoo.bench.BenchRunner} interleaves the contenders' runs with read-bandwidth measurements
 * and writes the table. {@link io.moezoo.bench.KernelRun} times the row kernels (MXFP4, Q4_0, Q8_0)
 * on one thread, in cache; {@link io.moezoo.bench.ProductRun} times one-token products on a
 * checkpoint's own mapped weights with all threads; {@link io.moezoo.bench.PrefillRun} measures the
 * engine's steady prefill speed (many prompts in one process).
 */
package io.moezoo.bench;
