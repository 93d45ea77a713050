/**
 * The engines the MoE Zoo loads its models on besides PyTorch: {@link
 * io.moezoo.zoo.engine.ZooEngineProvider}, the service a module implements for one DJL engine
 * (found with {@code ServiceLoader}, keyed by engine name), {@link
 * io.moezoo.zoo.engine.PreparedArtifact}, what the zoo hands it, {@link
 * io.moezoo.zoo.engine.ZooEngines}, the lookup, and {@link
 * io.moezoo.zoo.engine.ZooEngineUnavailableException}, the error naming the module to add.
 */
package io.moezoo.zoo.engine;
