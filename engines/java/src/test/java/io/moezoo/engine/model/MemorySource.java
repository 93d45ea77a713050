package io.moezoo.engine.model;

import io.moezoo.engine.tensor.TensorSource;
import io.moezoo.engine.tensor.WeightFormat;
import io.moezoo.engine.tensor.WeightMatrix;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.models.language.DecoderSpec;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@link TensorSource} over tensors held in memory, for tests: float tensors stored as F32 or
 * BF16 bytes, raw bytes in another format, and MXFP4 pairs served as {@code X} from {@code
 * X_blocks} + {@code X_scales} as {@code SafetensorsSource} does. Shapes are checked like the real
 * sources check them.
 */
final class MemorySource implements TensorSource {

    private record Stored(long[] shape, WeightFormat format, ByteBuffer bytes, ByteBuffer scales) {}

    private final DecoderSpec spec;
    private final Map<String, Stored> tensors;

    MemorySource(DecoderSpec spec) {
        this(spec, new HashMap<>());
    }

    private MemorySource(DecoderSpec spec, Map<String, Stored> tensors) {
        this.spec = spec;
        this.tensors = tensors;
    }

    /** The same tensors under another spec. */
    MemorySource withSpec(DecoderSpec other) {
        return new MemorySource(other, tensors);
    }

    /** Adds float values stored as F32 or BF16 (BF16 keeps the top 16 bits: exact for them). */
    MemorySource put(String key, float[] values, WeightFormat format, long... shape) {
        int size = format == WeightFormat.F32 ? 4 : 2;
        ByteBuffer b = ByteBuffer.allocate(values.length * size).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < values.length; i++) {
            if (format == WeightFormat.F32) {
                b.putFloat(i * 4, values[i]);
            } else if (format == WeightFormat.BF16) {
                b.putShort(i * 2, (short) (Float.floatToRawIntBits(values[i]) >>> 16));
            } else {
                throw new IllegalArgumentException(format.toString());
            }
        }
        return putBytes(key, format, b, shape);
    }

    /** Adds F32 values. */
    MemorySource put(String key, float[] values, long... shape) {
        return put(key, values, WeightFormat.F32, shape);
    }

    /** Adds stored bytes of a format (rows of the last dimension). */
    MemorySource putBytes(String key, WeightFormat format, ByteBuffer bytes, long... shape) {
        tensors.put(key, new Stored(shape.clone(), format, bytes, null));
        return this;
    }

    /** Adds an MXFP4 tensor {@code key} as its {@code key_blocks} and {@code key_scales}. */
    MemorySource putMxfp4(String key, byte[] blocks, byte[] scales, long... shape) {
        tensors.put(
                key + "_blocks",
                new Stored(shape.clone(), WeightFormat.MXFP4, wrap(blocks), wrap(scales)));
        return this;
    }

    private static ByteBuffer wrap(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public DecoderSpec spec() {
        return spec;
    }

    @Override
    public boolean contains(String key) {
        return tensors.containsKey(key) || tensors.containsKey(key + "_blocks");
    }

    private Stored get(String key, long[] shape) throws MalformedCheckpointException {
        Stored s = tensors.get(key);
        if (s == null) {
            s = tensors.get(key + "_blocks");
        }
        if (s == null) {
            throw new MalformedCheckpointException("no tensor '" + key + "'");
        }
        if (!Arrays.equals(s.shape(), shape)) {
            throw new MalformedCheckpointException(
                    "tensor '"
                            + key
                            + "' has shape "
                            + Arrays.toString(s.shape())
                            + ", expected "
                            + Arrays.toString(shape));
        }
        return s;
    }

    @Override
    public WeightMatrix matrix(String key, long... shape) throws MalformedCheckpointException {
        Stored s = get(key, shape);
        int cols = (int) shape[shape.length - 1];
        long rows = 1;
        for (int i = 0; i < shape.length - 1; i++) {
            rows *= shape[i];
        }
        if (s.format() == WeightFormat.MXFP4) {
            return WeightMatrix.mxfp4(
                    (int) rows,
                    cols,
                    new ByteBuffer[] {s.bytes()},
                    new ByteBuffer[] {s.scales()},
                    (int) rows);
        }
        return WeightMatrix.of(s.format(), (int) rows, cols, s.bytes());
    }

    @Override
    public float[] floats(String key, long... shape) throws MalformedCheckpointException {
        Stored s = get(key, shape);
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        return WeightMatrix.of(s.format(), 1, (int) count, s.bytes()).toFloats();
    }

    @Override
    public long fileBytes() {
        long bytes = 0;
        for (Stored s : tensors.values()) {
            bytes += s.bytes().capacity();
        }
        return bytes;
    }

    @Override
    public void close() {}
}
