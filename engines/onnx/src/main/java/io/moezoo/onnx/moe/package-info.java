/**
 * MoE layers as ONNX graphs: {@link io.moezoo.onnx.moe.MoeLayerExporter} writes a layer's router
 * ({@link io.moezoo.onnx.moe.RouterExport}), experts ({@link io.moezoo.onnx.moe.ExpertExport}) and
 * dispatch ({@link io.moezoo.onnx.moe.DispatchMode}).
 */
package io.moezoo.onnx.moe;
