/**
 * A minimal ONNX model writer: {@link io.moezoo.onnx.graph.GraphBuilder} assembles one graph
 * (inputs, initializers, nodes, outputs, unique names) and {@link
 * io.moezoo.onnx.graph.OnnxModel#write} serializes it as a {@code ModelProto} with protobuf's
 * {@code CodedOutputStream}, using the field numbers of {@code onnx.proto}.
 */
package io.moezoo.onnx.graph;
