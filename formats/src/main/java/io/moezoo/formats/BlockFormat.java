package io.moezoo.formats;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * ggml's block-quantised formats: each row is cut into blocks of {@link #blockSize()} values, each
 * stored in {@link #blockBytes()} bytes with an IEEE-half scale d.
 *
 * <pre>
 *   Q8_0  [d: f16][q: 32 × int8]                x_j = d·q_j
 *   Q4_0  [d: f16][16 bytes: q_j | q_{j+16}&lt;&lt;4]  x_j = d·(q_j − 8)
 * </pre>
 *
 * {@link #quantize} follows ggml's reference quantisers byte for byte (Q8_0: d = amax/127, q =
 * roundf(x/d), halves away from zero; Q4_0: d = m/−8 for the value m of largest magnitude, q =
 * min(15, trunc(x/d + 8.5)) with the sum fused as in FMA builds); {@link #dequantize} computes
 * exactly {@code q·d} (Q4_0: {@code (q − 8)·d}) in float32.
 */
public enum BlockFormat {
    /** 8-bit values with one scale per 32. */
    Q8_0(34),
    /** 4-bit values with one scale per 32. */
    Q4_0(18);

    /** Values per block. */
    public static final int BLOCK = 32;

    private final int blockBytes;

    BlockFormat(int blockBytes) {
        this.blockBytes = blockBytes;
    }

    /**
     * Returns the values per block.
     *
     * @return 32
     */
    public int blockSize() {
        return BLOCK;
    }

    /**
     * Returns the bytes per block.
     *
     * @return 34 (Q8_0) or 18 (Q4_0)
     */
    public int blockBytes() {
        return blockBytes;
    }

    /**
     * Returns the bytes of a row.
     *
     * @param cols values in the row, a positive multiple of 32
     * @return the row's bytes
     * @throws IllegalArgumentException if cols is not a positive multiple of 32
     */
    public long rowBytes(long cols) {
        if (cols <= 0 || cols % BLOCK != 0) {
            throw new IllegalArgumentException(
                    this + " rows hold a positive multiple of 32 values, not " + cols);
        }
        return cols / BLOCK * blockBytes;
    }

    /**
     * Parses a format name, case-insensitively ({@code q8_0}, {@code Q4_0}).
     *
     * @param name the name
     * @return the format, or null if unknown
     */
    public static BlockFormat parse(String name) {
        for (BlockFormat f : values()) {
            if (f.name().equalsIgnoreCase(name)) {
                return f;
            }
        }
        return null;
    }

    /**
     * Quantises {@code count} values (a multiple of 32) into blocks.
     *
     * @param x the values
     * @param xOffset the first value
     * @param count how many, a multiple of 32
     * @param out receives {@code count / 32} blocks (little-endian)
     * @param outOffset the byte position of the first block
     */
    public void quantize(float[] x, int xOffset, int count, ByteBuffer out, int outOffset) {
        ByteBuffer o = out.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        for (int b = 0; b < count / BLOCK; b++) {
            int from = xOffset + b * BLOCK;
            int at = outOffset + b * blockBytes;
            if (this == Q8_0) {
                quantizeQ8(x, from, o, at);
            } else {
                quantizeQ4(x, from, o, at);
            }
        }
    }

    private static void quantizeQ8(float[] x, int from, ByteBuffer o, int at) {
        float amax = 0;
        for (int j = 0; j < BLOCK; j++) {
            amax = Math.max(amax, Math.abs(x[from + j]));
        }
        float d = amax / 127f;
        float id = d != 0 ? 1f / d : 0f;
        o.putShort(at, Half.toF16(d));
        for (int j = 0; j < BLOCK; j++) {
            float v = x[from + j] * id;
            float a = Math.abs(v);
            float r = (float) Math.floor(a);
            if (a - r >= 0.5f) {
                r += 1;
            }
            o.put(at + 2 + j, (byte) Math.copySign(r, v));
        }
    }

    private static void quantizeQ4(float[] x, int from, ByteBuffer o, int at) {
        float amax = 0;
        float max = 0;
        for (int j = 0; j < BLOCK; j++) {
            float v = x[from + j];
            if (amax < Math.abs(v)) {
                amax = Math.abs(v);
                max = v;
            }
        }
        float d = max / -8f;
        float id = d != 0 ? 1f / d : 0f;
        o.putShort(at, Half.toF16(d));
        for (int j = 0; j < BLOCK / 2; j++) {
            int q0 = Math.min(15, (int) Math.fma(x[from + j], id, 8.5f));
            int q1 = Math.min(15, (int) Math.fma(x[from + j + BLOCK / 2], id, 8.5f));
            o.put(at + 2 + j, (byte) (q0 | (q1 << 4)));
        }
    }

    /**
     * Decodes {@code count} values (a multiple of 32) from blocks.
     *
     * @param in the blocks (read little-endian)
     * @param inOffset the byte position of the first block
     * @param out receives the values
     * @param outOffset the first index written
     * @param count how many, a multiple of 32
     */
    public void dequantize(ByteBuffer in, int inOffset, float[] out, int outOffset, int count) {
        for (int b = 0; b < count / BLOCK; b++) {
            int at = inOffset + b * blockBytes;
            short bits = (short) ((in.get(at) & 0xff) | (in.get(at + 1) << 8));
            float d = Half.f16(bits);
            int to = outOffset + b * BLOCK;
            if (this == Q8_0) {
                for (int j = 0; j < BLOCK; j++) {
                    out[to + j] = in.get(at + 2 + j) * d;
                }
            } else {
                for (int j = 0; j < BLOCK / 2; j++) {
                    int packed = in.get(at + 2 + j) & 0xff;
                    out[to + j] = ((packed & 0xf) - 8) * d;
                    out[to + j + BLOCK / 2] = ((packed >>> 4) - 8) * d;
                }
            }
        }
    }
}
