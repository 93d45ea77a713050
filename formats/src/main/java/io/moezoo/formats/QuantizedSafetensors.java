package io.moezoo.formats;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metadata of a quantised safetensors file, as {@code moe-zoo quantize} writes it.
 *
 * <p>A block-quantised tensor is stored with dtype {@code U8} and its logical shape, the last
 * dimension replaced by a row's byte count ({@code cols / 32 · 34} for Q8_0, {@code cols / 32 · 18}
 * for Q4_0; rows of ggml blocks, see {@link BlockFormat}). The file's {@code __metadata__} names
 * the file's main format, {@code "moezoo.quantization": "q8_0"} (or {@code "q4_0"}), and each
 * quantised tensor: {@code "moezoo.format.<tensor key>": "Q8_0"} (or {@code "Q4_0"}). Tensors
 * without such an entry are plain tensors of their dtype.
 *
 * <p>{@link #formats} validates these entries strictly: a format entry needs the main entry and a
 * tensor of this file, stored as U8 with at least two dimensions and a last dimension that is a
 * positive multiple of the block bytes; format names are exact; other {@code moezoo.} keys are
 * refused.
 */
public final class QuantizedSafetensors {

    /** The metadata key of the file's main format ({@code q8_0} or {@code q4_0}). */
    public static final String QUANTIZATION_KEY = "moezoo.quantization";

    /** The metadata key prefix of a tensor's block format ({@code Q8_0} or {@code Q4_0}). */
    public static final String FORMAT_KEY_PREFIX = "moezoo.format.";

    private static final String RESERVED_PREFIX = "moezoo.";

    private QuantizedSafetensors() {}

    /**
     * Returns the metadata key that records a tensor's block format.
     *
     * @param tensor the tensor key
     * @return {@code moezoo.format.<tensor>}
     */
    public static String formatKey(String tensor) {
        return FORMAT_KEY_PREFIX + tensor;
    }

    /**
     * Returns the value of {@link #QUANTIZATION_KEY} for a main format.
     *
     * @param format the format
     * @return {@code q8_0} or {@code q4_0}
     */
    public static String quantizationName(BlockFormat format) {
        return format.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Validates a file's quantisation metadata against its tensors.
     *
     * @param path the file, for messages
     * @param metadata the {@code __metadata__} strings
     * @param tensors the validated header entries
     * @return the block format of each quantised tensor (empty for a plain file)
     * @throws MalformedCheckpointException if the metadata is inconsistent with itself or the
     *     tensors
     */
    static Map<String, BlockFormat> formats(
            Path path, Map<String, String> metadata, List<SafetensorsHeader.Entry> tensors)
            throws MalformedCheckpointException {
        Map<String, SafetensorsHeader.Entry> byName = new LinkedHashMap<>();
        for (SafetensorsHeader.Entry e : tensors) {
            byName.put(e.name(), e);
        }
        String main = metadata.get(QUANTIZATION_KEY);
        if (main != null && !main.equals("q8_0") && !main.equals("q4_0")) {
            throw malformed(
                    path,
                    QUANTIZATION_KEY
                            + " is "
                            + StrictJson.quote(main)
                            + ", not one of the known formats \"q8_0\", \"q4_0\"");
        }
        Map<String, BlockFormat> formats = new LinkedHashMap<>();
        for (Map.Entry<String, String> m : metadata.entrySet()) {
            String key = m.getKey();
            if (!key.startsWith(RESERVED_PREFIX) || key.equals(QUANTIZATION_KEY)) {
                continue;
            }
            if (!key.startsWith(FORMAT_KEY_PREFIX)) {
                throw malformed(
                        path,
                        "__metadata__ has an unknown key "
                                + StrictJson.quote(key)
                                + " (the moezoo. keys are "
                                + QUANTIZATION_KEY
                                + " and "
                                + FORMAT_KEY_PREFIX
                                + "<tensor>)");
            }
            String tensor = key.substring(FORMAT_KEY_PREFIX.length());
            String where = "tensor " + StrictJson.name(tensor);
            if (main == null) {
                throw malformed(
                        path,
                        "__metadata__ gives "
                                + where
                                + " a block format but has no "
                                + QUANTIZATION_KEY
                                + " entry");
            }
            BlockFormat format = "Q8_0".equals(m.getValue()) ? BlockFormat.Q8_0 : null;
            if ("Q4_0".equals(m.getValue())) {
                format = BlockFormat.Q4_0;
            }
            if (format == null) {
                throw malformed(
                        path,
                        where
                                + " has unknown block format "
                                + StrictJson.quote(m.getValue())
                                + " (known: \"Q8_0\", \"Q4_0\")");
            }
            SafetensorsHeader.Entry entry = byName.get(tensor);
            if (entry == null) {
                throw malformed(
                        path,
                        "__metadata__ gives a block format to "
                                + where
                                + ", which is not in this file");
            }
            check(path, where, entry, format);
            formats.put(tensor, format);
        }
        return Collections.unmodifiableMap(formats);
    }

    private static void check(
            Path path, String where, SafetensorsHeader.Entry entry, BlockFormat format)
            throws MalformedCheckpointException {
        long[] shape = entry.shape();
        String stored = " (stored shape " + Arrays.toString(shape) + " of " + entry.dtype() + ")";
        if (entry.dtype() != TensorDType.U8) {
            throw malformed(
                    path, where + " is " + format + " but has dtype " + entry.dtype() + ", not U8");
        }
        if (shape.length < 2) {
            throw malformed(
                    path,
                    where
                            + " is "
                            + format
                            + " but has "
                            + shape.length
                            + " dimension(s); a quantised tensor has at least 2"
                            + stored);
        }
        long rowBytes = shape[shape.length - 1];
        if (rowBytes <= 0 || rowBytes % format.blockBytes() != 0) {
            throw malformed(
                    path,
                    where
                            + " is "
                            + format
                            + " but its last dimension "
                            + rowBytes
                            + " is not a positive multiple of the "
                            + format.blockBytes()
                            + "-byte block"
                            + stored);
        }
        try {
            long elements = rowBytes / format.blockBytes() * format.blockSize();
            for (int i = 0; i < shape.length - 1; i++) {
                elements = Math.multiplyExact(elements, shape[i]);
            }
            Math.multiplyExact(elements, 4L);
        } catch (ArithmeticException e) {
            throw malformed(path, where + " holds more values than 64 bits count" + stored);
        }
    }

    private static MalformedCheckpointException malformed(Path path, String message) {
        return new MalformedCheckpointException(path + ": " + message);
    }
}
