/**
 * ONNX export of the zoo's MoE layers and models: {@link io.moezoo.onnx.graph} writes ONNX model
 * files (IR 8, opset 17) with protobuf's wire format and no generated code; {@code
 * io.moezoo.onnx.moe} translates MoE layers into ONNX graphs.
 */
package io.moezoo.onnx;
