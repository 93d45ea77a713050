/**
 * Configuration as data: immutable spec objects describing routers, experts and MoE layers.
 *
 * <p>A spec is what a model zoo's metadata or a Hugging Face {@code config.json} maps onto; the
 * blocks are built from specs and validate them in {@code build()}.
 */
package io.moezoo.blocks.spec;
