/**
 * The MoE Zoo model zoo for DJL: {@link io.moezoo.zoo.MoeModelZoo} (registered through {@link
 * io.moezoo.zoo.MoeZooProvider}) serves every family's models from the embedded repository (the
 * {@code moe-zoo-weights} artifact) or any repository URL.
 */
package io.moezoo.zoo;
