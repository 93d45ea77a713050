/**
 * GGUF (llama.cpp's file format) for the MoeJava engine: a strict reader ({@link
 * io.moezoo.engine.gguf.GgufFile}), a streaming writer ({@link io.moezoo.engine.gguf.GgufWriter}),
 * the mapping between Hugging Face configs and tensor keys and llama.cpp's metadata and tensor
 * names ({@link io.moezoo.engine.gguf.GgufArchitectures}, {@link
 * io.moezoo.engine.gguf.GgufTensorPlan}), import as a {@link io.moezoo.engine.tensor.TensorSource}
 * ({@link io.moezoo.engine.gguf.GgufSource}) and export of a checkpoint directory ({@link
 * io.moezoo.engine.gguf.GgufExport}).
 *
 * <p>The llama.cpp generation targeted is b4916 (the one java-llama.cpp 4.1.0 bundles): DeepSeek
 * models are written as the {@code deepseek2} architecture with one {@code attn_kv_b} tensor,
 * before llama.cpp split it into {@code attn_k_b}/{@code attn_v_b}. {@code glm4moe} and {@code
 * gpt-oss} (with ggml's MXFP4 type) follow newer llama.cpp, which b4916 cannot load.
 */
package io.moezoo.engine.gguf;
