package io.moezoo.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The codecs this JVM selected against the scalar ones: the Vector API codecs are in use (the tests
 * run with the module, on Java 17 and on Java 25), decode every value exactly and compute the same
 * dot products up to float32 summation order. MXFP4, whose scales are a tensor of their own, has
 * its codec apart ({@link Codecs#mxfp4()}).
 */
class CodecAgreementTest {

    @Test
    void everyCodecAgreesWithItsScalarForm() {
        Map<WeightFormat, RowCodec> scalar = ScalarCodecs.all();
        Random random = new Random(7);
        for (Map.Entry<WeightFormat, RowCodec> e : scalar.entrySet()) {
            WeightFormat format = e.getKey();
            RowCodec reference = e.getValue();
            RowCodec chosen = Codecs.of(format);
            for (int count : new int[] {32, 64, 96, 160, 1024, 4096 + 32}) {
                int bytes = (int) format.rowBytes(count);
                for (int offset : new int[] {0, 2, 34, 100}) {
                    ByteBuffer data =
                            ByteBuffer.allocateDirect(offset + bytes)
                                    .order(ByteOrder.LITTLE_ENDIAN);
                    fill(format, data, offset, count, random);
                    float[] x = new float[count + 3];
                    for (int i = 0; i < x.length; i++) {
                        x[i] = (float) random.nextGaussian();
                    }
                    float[] a = new float[count + 1];
                    float[] b = new float[count + 1];
                    reference.decode(StoredBytes.of(data), offset, a, 1, count);
                    chosen.decode(StoredBytes.of(data), offset, b, 1, count);
                    for (int i = 0; i < a.length; i++) {
                        // MXFP4's vector codecs decode the code of −0 as +0: numbers there.
                        float fold = format == WeightFormat.MXFP4_GGUF ? 0f : -0f;
                        assertEquals(
                                Float.floatToIntBits(a[i] + fold),
                                Float.floatToIntBits(b[i] + fold),
                                format + " decode " + count + "@" + offset + " [" + i + "]");
                    }
                    double want = 0;
                    double magnitude = 0;
                    for (int i = 0; i < count; i++) {
                        want += (double) a[i + 1] * x[i + 2];
                        magnitude += Math.abs((double) a[i + 1] * x[i + 2]);
                    }
                    float got = chosen.dot(StoredBytes.of(data), offset, x, 2, count);
                    assertEquals(
                            want,
                            got,
                            1e-5 * magnitude + 1e-6,
                            format + " dot " + count + "@" + offset);
                }
            }
        }
    }

    @Test
    void theMxfp4CodecAgreesWithTheScalarOne() {
        Mxfp4Codec reference = new ScalarMxfp4Codec();
        Mxfp4Codec chosen = Codecs.mxfp4();
        Random random = new Random(11);
        for (int count : new int[] {32, 64, 96, 160, 1024, 2880, 4096 + 32}) {
            for (int offset : new int[] {0, 2, 34, 100}) {
                int groups = count / 32;
                ByteBuffer blocks = ByteBuffer.allocateDirect(offset + 16 * groups);
                ByteBuffer scales = ByteBuffer.allocateDirect(offset + groups);
                for (int i = 0; i < 16 * groups; i++) {
                    blocks.put(offset + i, (byte) random.nextInt(256));
                }
                for (int g = 0; g < groups; g++) {
                    // Every scale byte, 255 (+∞, NaN for the zeros) included, in the decode.
                    scales.put(offset + g, (byte) (g * 37 + offset));
                }
                StoredBytes b = StoredBytes.of(blocks);
                StoredBytes s = StoredBytes.of(scales);
                float[] a = new float[count + 1];
                float[] c = new float[count + 1];
                reference.decode(b, offset, s, offset, a, 1, count);
                chosen.decode(b, offset, s, offset, c, 1, count);
                for (int i = 0; i < a.length; i++) {
                    assertEquals(
                            Float.floatToIntBits(a[i] + 0f), // −0 decodes as +0
                            Float.floatToIntBits(c[i] + 0f),
                            "MXFP4 decode " + count + "@" + offset + " [" + i + "]");
                }
                // Dot products over finite scales (2^-10 … 2^4).
                for (int g = 0; g < groups; g++) {
                    scales.put(offset + g, (byte) (117 + random.nextInt(15)));
                }
                reference.decode(b, offset, s, offset, a, 1, count);
                float[] x = new float[count + 3];
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) random.nextGaussian();
                }
                double want = 0;
                double magnitude = 0;
                for (int i = 0; i < count; i++) {
                    want += (double) a[i + 1] * x[i + 2];
                    magnitude += Math.abs((double) a[i + 1] * x[i + 2]);
                }
                float got = chosen.dot(b, offset, s, offset, x, 2, count);
                assertEquals(
                        want, got, 1e-5 * magnitude + 1e-6, "MXFP4 dot " + count + "@" + offset);
            }
        }
    }

    /** Finite random values of each format (FP8 bytes avoid the NaN codes 0x7f, 0xff). */
    private static void fill(
            WeightFormat format, ByteBuffer data, int offset, int count, Random random) {
        int bytes = (int) format.rowBytes(count);
        for (int i = 0; i < bytes; i++) {
            data.put(offset + i, (byte) random.nextInt(256));
        }
        switch (format) {
            case F32:
                for (int i = 0; i < count; i++) {
                    data.putFloat(offset + 4 * i, (float) random.nextGaussian());
                }
                break;
            case F16:
                for (int i = 0; i < count; i++) {
                    data.putShort(
                            offset + 2 * i,
                            io.moezoo.formats.Half.toF16((float) random.nextGaussian()));
                }
                break;
            case BF16:
                for (int i = 0; i < count; i++) {
                    data.putShort(
                            offset + 2 * i,
                            (short) (Float.floatToIntBits((float) random.nextGaussian()) >>> 16));
                }
                break;
            case F8_E4M3:
                for (int i = 0; i < count; i++) {
                    if ((data.get(offset + i) & 0x7f) == 0x7f) {
                        data.put(offset + i, (byte) 0x10);
                    }
                }
                break;
            case MXFP4_GGUF:
                // ggml's MXFP4 blocks: a modest E8M0 scale byte first (2^-7 to 2^6).
                for (int b = 0; b < count / 32; b++) {
                    data.put(offset + b * format.blockBytes(), (byte) (120 + random.nextInt(14)));
                }
                break;
            default:
                // Block formats: random quantised values with a finite F16 scale per block.
                for (int b = 0; b < count / 32; b++) {
                    data.putShort(
                            offset + b * format.blockBytes(),
                            io.moezoo.formats.Half.toF16(random.nextFloat() * 0.1f));
                }
        }
    }
}
