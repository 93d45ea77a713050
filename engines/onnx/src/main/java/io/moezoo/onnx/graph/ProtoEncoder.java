package io.moezoo.onnx.graph;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Encodes the ONNX messages in protobuf's wire format with {@link CodedOutputStream}; the field
 * numbers are those of {@code onnx.proto} (ONNX 1.14+). Repeated scalars are written unpacked, as
 * the proto2 schema declares them.
 */
final class ProtoEncoder {

    private ProtoEncoder() {}

    /** A message body written into a stream. */
    @FunctionalInterface
    private interface Body {
        void write(CodedOutputStream out) throws IOException;
    }

    private static ByteString message(Body body) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            body.write(out);
            out.flush();
            return ByteString.copyFrom(bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Where an initializer's data lives in an external data file.
     *
     * @param location the file name, relative to the model file
     * @param offset the byte offset in that file
     * @param length the byte length
     */
    record ExternalRef(String location, long offset, long length) {}

    /**
     * Encodes a {@code ModelProto} with every initializer inline.
     *
     * @param model the model
     * @return the serialized model
     */
    static byte[] model(OnnxModel model) {
        return model(model, Map.of());
    }

    /**
     * Encodes a {@code ModelProto}; initializers named in {@code external} are written as
     * references to an external data file ({@code data_location = EXTERNAL}).
     *
     * @param model the model
     * @param external the external initializers by name
     * @return the serialized model
     */
    static byte[] model(OnnxModel model, Map<String, ExternalRef> external) {
        return message(
                        out -> {
                            out.writeInt64(1, model.irVersion()); // ir_version
                            out.writeString(2, model.producerName()); // producer_name
                            out.writeString(3, model.producerVersion()); // producer_version
                            out.writeString(6, model.docString()); // doc_string
                            out.writeBytes(7, graph(model, external)); // graph
                            out.writeBytes(
                                    8, // opset_import
                                    message(
                                            o -> {
                                                o.writeString(1, ""); // domain
                                                o.writeInt64(2, model.opsetVersion());
                                            }));
                            for (Map.Entry<String, String> e : model.metadata().entrySet()) {
                                out.writeBytes(14, entry(e.getKey(), e.getValue()));
                            }
                        })
                .toByteArray();
    }

    private static ByteString entry(String key, String value) {
        return message(
                out -> {
                    out.writeString(1, key);
                    out.writeString(2, value);
                });
    }

    private static ByteString graph(OnnxModel model, Map<String, ExternalRef> external) {
        return message(
                out -> {
                    for (OnnxNode node : model.nodes()) {
                        out.writeBytes(1, node(node));
                    }
                    out.writeString(2, model.graphName());
                    for (OnnxTensor t : model.initializers()) {
                        out.writeBytes(5, tensor(t, external.get(t.name())));
                    }
                    for (OnnxValueInfo v : model.inputs()) {
                        out.writeBytes(11, valueInfo(v));
                    }
                    for (OnnxValueInfo v : model.outputs()) {
                        out.writeBytes(12, valueInfo(v));
                    }
                });
    }

    private static ByteString node(OnnxNode node) {
        return message(
                out -> {
                    for (String in : node.inputs()) {
                        out.writeString(1, in);
                    }
                    for (String o : node.outputs()) {
                        out.writeString(2, o);
                    }
                    out.writeString(3, node.name());
                    out.writeString(4, node.opType());
                    for (OnnxAttribute a : node.attributes()) {
                        out.writeBytes(5, attribute(a));
                    }
                });
    }

    private static ByteString attribute(OnnxAttribute a) {
        return message(
                out -> {
                    out.writeString(1, a.name());
                    switch (a.kind()) {
                        case FLOAT -> out.writeFloat(2, (Float) a.value());
                        case INT -> out.writeInt64(3, (Long) a.value());
                        case STRING ->
                                out.writeBytes(4, ByteString.copyFromUtf8((String) a.value()));
                        case TENSOR -> out.writeBytes(5, tensor((OnnxTensor) a.value(), null));
                        case FLOATS -> {
                            for (float f : (float[]) a.value()) {
                                out.writeFloat(7, f);
                            }
                        }
                        case INTS -> {
                            for (long i : (long[]) a.value()) {
                                out.writeInt64(8, i);
                            }
                        }
                    }
                    out.writeInt32(20, a.kind().code()); // type
                });
    }

    private static ByteString tensor(OnnxTensor t, ExternalRef ref) {
        return message(
                out -> {
                    for (long d : t.dims()) {
                        out.writeInt64(1, d);
                    }
                    out.writeInt32(2, t.type().code());
                    out.writeString(8, t.name());
                    if (ref == null) {
                        out.writeByteArray(9, t.raw()); // raw_data
                    } else {
                        out.writeBytes(13, entry("location", ref.location())); // external_data
                        out.writeBytes(13, entry("offset", Long.toString(ref.offset())));
                        out.writeBytes(13, entry("length", Long.toString(ref.length())));
                        out.writeEnum(14, 1); // data_location = EXTERNAL
                    }
                });
    }

    private static ByteString valueInfo(OnnxValueInfo v) {
        ByteString shape =
                message(
                        out -> {
                            for (Object d : v.dims()) {
                                out.writeBytes(
                                        1,
                                        message(
                                                o -> {
                                                    if (d instanceof Long n) {
                                                        o.writeInt64(1, n); // dim_value
                                                    } else {
                                                        o.writeString(2, (String) d); // dim_param
                                                    }
                                                }));
                            }
                        });
        ByteString tensorType =
                message(
                        out -> {
                            out.writeInt32(1, v.type().code()); // elem_type
                            out.writeBytes(2, shape);
                        });
        return message(
                out -> {
                    out.writeString(1, v.name());
                    out.writeBytes(2, message(o -> o.writeBytes(1, tensorType))); // tensor_type
                });
    }
}
