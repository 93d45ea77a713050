package io.moezoo.engine.gguf;

import io.moezoo.formats.MalformedCheckpointException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensor infos of a GGUF header, validated one by one as they are read (name, dimensions,
 * supported type, whole blocks, byte size, aligned offset) and then together (no two tensors share
 * a byte).
 */
final class GgufTensorTable {

    private GgufTensorTable() {}

    static List<GgufTensorInfo> read(GgufHeaderReader in, long count, long alignment)
            throws IOException, MalformedCheckpointException {
        List<GgufTensorInfo> infos = new ArrayList<>();
        Map<String, Integer> names = new HashMap<>();
        for (long i = 0; i < count; i++) {
            infos.add(tensorInfo(in, i, alignment, names));
        }
        return infos;
    }

    private static GgufTensorInfo tensorInfo(
            GgufHeaderReader in, long i, long alignment, Map<String, Integer> names)
            throws IOException, MalformedCheckpointException {
        String name = in.string("tensor #" + i + " name", GgufFile.MAX_STRING);
        String field = "tensor #" + i + " '" + GgufFile.printable(name) + "'";
        int nameBytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (name.isEmpty() || nameBytes > GgufFile.MAX_NAME) {
            throw in.error(
                    field,
                    "the name has " + nameBytes + " bytes; expected 1 to " + GgufFile.MAX_NAME);
        }
        if (names.putIfAbsent(name, (int) i) != null) {
            throw in.error(
                    field, "the name appears twice (first as tensor #" + names.get(name) + ")");
        }
        long dims = in.u32(field + " n_dims");
        if (dims < 1 || dims > 4) {
            throw in.error(field, "n_dims is " + dims + "; expected 1 to 4");
        }
        long[] ne = new long[(int) dims];
        long elements = 1;
        for (int d = 0; d < dims; d++) {
            ne[d] = in.u64(field + " ne[" + d + "]");
            if (ne[d] < 0) {
                throw in.error(
                        field,
                        "ne["
                                + d
                                + "] = "
                                + Long.toUnsignedString(ne[d])
                                + " is negative as int64");
            }
            if (ne[d] != 0 && elements > Long.MAX_VALUE / ne[d]) {
                throw in.error(field, "the element count overflows 64 bits");
            }
            elements *= ne[d];
        }
        long typeId = in.u32(field + " type");
        GgufType type = GgufType.of(typeId);
        if (type == null) {
            throw in.error(
                    field,
                    "ggml type "
                            + typeId
                            + " ("
                            + GgufType.ggmlName(typeId)
                            + ") is not supported; supported: F32, F16, BF16, Q8_0, Q4_0, MXFP4");
        }
        if (ne[0] % type.blockSize() != 0) {
            throw in.error(
                    field,
                    "ne[0] = "
                            + ne[0]
                            + " is not a multiple of the "
                            + type
                            + " block size "
                            + type.blockSize());
        }
        long bytes = type.bytes(elements);
        if (bytes < 0) {
            throw in.error(field, "the byte size overflows 64 bits");
        }
        long offset = in.u64(field + " offset");
        if (offset < 0 || offset % alignment != 0) {
            throw in.error(
                    field,
                    "offset "
                            + Long.toUnsignedString(offset)
                            + " is not a multiple of the alignment "
                            + alignment);
        }
        return new GgufTensorInfo(name, type, ne, offset, -1, bytes);
    }

    static void checkOverlaps(GgufHeaderReader in, List<GgufTensorInfo> infos)
            throws MalformedCheckpointException {
        List<GgufTensorInfo> sorted = new ArrayList<>();
        for (GgufTensorInfo t : infos) {
            if (t.bytes() > 0) {
                sorted.add(t);
            }
        }
        sorted.sort(Comparator.comparingLong(GgufTensorInfo::offset));
        for (int i = 1; i < sorted.size(); i++) {
            GgufTensorInfo a = sorted.get(i - 1);
            GgufTensorInfo b = sorted.get(i);
            if (b.offset() < a.offset() + a.bytes()) {
                throw in.error(
                        "tensor '" + b.name() + "' offset",
                        "its bytes from "
                                + b.offset()
                                + " overlap tensor '"
                                + a.name()
                                + "' ["
                                + a.offset()
                                + ", "
                                + (a.offset() + a.bytes())
                                + ")");
            }
        }
    }
}
