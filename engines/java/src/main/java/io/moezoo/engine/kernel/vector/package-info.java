/**
 * Vector API ({@code jdk.incubator.vector}) codecs: loaded by {@link
 * io.moezoo.engine.tensor.Codecs} only when the module is present, using the widest species the CPU
 * offers.
 */
package io.moezoo.engine.kernel.vector;
