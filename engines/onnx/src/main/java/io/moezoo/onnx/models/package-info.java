/** Whole zoo models as ONNX graphs, one exporter per family. */
package io.moezoo.onnx.models;
