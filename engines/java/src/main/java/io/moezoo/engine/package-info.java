/**
 * MoE Zoo's own inference engine for DJL ("MoeJava"): Hugging Face MoE checkpoints run with their
 * weights memory-mapped in the stored format, through Java kernels.
 *
 * <pre>
 *   checkpoint dir ─▶ tensor.MappedCheckpoint (validated headers, one mapping per tensor)
 *                  ─▶ tensor.WeightMatrix (F32 | F16 | BF16 | FP8 e4m3 + block scales | Q8_0 | Q4_0)
 *   model.CausalLm: embedding ─▶ L × (RMSNorm ─▶ attention ─▶ + ─▶ RMSNorm ─▶ MoE | dense FFN ─▶ +)
 *                   ─▶ RMSNorm ─▶ LM head;  model.KvCache holds the keys and values of a sequence
 *   kernel.MatrixOps: products of matrices with one token (decode) or several (prefill, experts),
 *                   rows shared between worker threads, Vector API codecs where the module is present
 *   djl.*: the EngineProvider, Engine, Model, NDManager and Block that make it a DJL engine
 * </pre>
 */
package io.moezoo.engine;
