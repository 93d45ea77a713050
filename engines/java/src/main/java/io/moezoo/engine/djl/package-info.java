/**
 * The DJL face of the engine: {@link io.moezoo.engine.djl.MoeJavaEngineProvider} registers the
 * engine {@value io.moezoo.engine.djl.MoeJavaEngine#ENGINE_NAME} through DJL's {@code
 * EngineProvider} service; {@link io.moezoo.engine.djl.MoeJavaModel} loads a checkpoint into a
 * {@link io.moezoo.engine.djl.CausalLmBlock}; {@link io.moezoo.engine.djl.MoeJavaNDManager} holds
 * the small input and output arrays (token ids, logits) and hands any other NDArray operation to
 * the alternative engine (PyTorch, when it is on the class path).
 */
package io.moezoo.engine.djl;
