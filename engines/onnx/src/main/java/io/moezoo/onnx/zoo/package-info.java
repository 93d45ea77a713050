/**
 * Zoo models through ONNX Runtime: {@link io.moezoo.onnx.zoo.ZooExport} writes an artifact's ONNX
 * directory, {@link io.moezoo.onnx.zoo.OnnxCriteria} loads it with the zoo's own translators.
 */
package io.moezoo.onnx.zoo;
