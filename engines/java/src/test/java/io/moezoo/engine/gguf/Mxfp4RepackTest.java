package io.moezoo.engine.gguf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.moezoo.engine.tensor.GgufMxfp4Codec;
import io.moezoo.engine.tensor.StoredBytes;
import io.moezoo.formats.Mxfp4Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One MXFP4 block repacked by hand: the Hugging Face order (element 2k in the low nibble of byte k)
 * becomes ggml's (element j in the low nibble of byte j, element j + 16 in its high nibble) behind
 * the scale byte; and a GGUF MXFP4 tensor decodes to FP4[n]·2^(s − 127).
 */
class Mxfp4RepackTest {

    @TempDir Path dir;

    private static byte[] repack(byte[] hf, int scale) {
        ByteBuffer out = ByteBuffer.allocate(17);
        Mxfp4Repack.block(ByteBuffer.wrap(hf), 0, (byte) scale, out);
        assertEquals(17, out.position());
        return out.array();
    }

    @Test
    void elementKIsKMod16() {
        // Elements 0..31 have nibbles 0..15, 0..15. HF byte k holds elements 2k (low) and 2k + 1
        // (high): 0x10, 0x32, ..., 0xFE twice. In ggml's order byte j holds elements j and j + 16,
        // both nibble j: 0x00, 0x11, ..., 0xFF.
        byte[] hf = new byte[16];
        for (int k = 0; k < 16; k++) {
            hf[k] = (byte) ((2 * k % 16) | ((2 * k + 1) % 16) << 4);
        }
        assertEquals((byte) 0x10, hf[0]);
        assertEquals((byte) 0xfe, hf[15]);
        byte[] expected = {
            (byte) 0x7f,
            0x00,
            0x11,
            0x22,
            0x33,
            0x44,
            0x55,
            0x66,
            0x77,
            (byte) 0x88,
            (byte) 0x99,
            (byte) 0xaa,
            (byte) 0xbb,
            (byte) 0xcc,
            (byte) 0xdd,
            (byte) 0xee,
            (byte) 0xff
        };
        assertArrayEquals(expected, repack(hf, 0x7f));
    }

    @Test
    void elementKIsKHalf() {
        // Elements 0..31 have nibbles 0,0,1,1,...,15,15: HF byte k = k | k << 4. ggml byte j holds
        // element j (nibble j/2) low and element j + 16 (nibble 8 + j/2) high.
        byte[] hf = new byte[16];
        for (int k = 0; k < 16; k++) {
            hf[k] = (byte) (k | k << 4);
        }
        byte[] expected = {
            (byte) 0x81,
            (byte) 0x80,
            (byte) 0x80,
            (byte) 0x91,
            (byte) 0x91,
            (byte) 0xa2,
            (byte) 0xa2,
            (byte) 0xb3,
            (byte) 0xb3,
            (byte) 0xc4,
            (byte) 0xc4,
            (byte) 0xd5,
            (byte) 0xd5,
            (byte) 0xe6,
            (byte) 0xe6,
            (byte) 0xf7,
            (byte) 0xf7
        };
        assertArrayEquals(expected, repack(hf, 0x81));
    }

    @Test
    void aRepackedBlockDecodesToTheSameValues() {
        // Scale byte 129: factor 2^2. Nibbles 3 (1.5), 13 (−3), 8 (−0), 7 (6) in turn.
        int[] nibbles = new int[32];
        for (int k = 0; k < 32; k++) {
            nibbles[k] = new int[] {3, 13, 8, 7}[k % 4];
        }
        byte[] hf = new byte[16];
        for (int k = 0; k < 16; k++) {
            hf[k] = (byte) (nibbles[2 * k] | nibbles[2 * k + 1] << 4);
        }
        byte[] gguf = repack(hf, 129);
        float[] got = new float[32];
        new GgufMxfp4Codec()
                .decode(
                        StoredBytes.of(ByteBuffer.wrap(gguf).order(ByteOrder.LITTLE_ENDIAN)),
                        0,
                        got,
                        0,
                        32);
        float[] want = {6f, -12f, -0f, 24f};
        for (int k = 0; k < 32; k++) {
            assertEquals(
                    Float.floatToRawIntBits(want[k % 4]), Float.floatToRawIntBits(got[k]), "" + k);
            assertEquals(Mxfp4Tensor.fp4(nibbles[k]) * 4f, got[k]);
        }
        float[] x = new float[32];
        java.util.Arrays.fill(x, 1f);
        // Eight of each: 8·(6 − 12 − 0 + 24) = 144.
        assertEquals(
                144f, new GgufMxfp4Codec().dot(StoredBytes.of(ByteBuffer.wrap(gguf)), 0, x, 0, 32));
    }

    @Test
    void anMxfp4TensorRoundTripsThroughAFile() throws Exception {
        // Two rows of 64 values (2 blocks each): row r block g has scale 127 + g and nibble
        // (r + j) % 16 for its element j.
        ByteBuffer data = ByteBuffer.allocate(2 * 2 * 17);
        float[] want = new float[128];
        for (int r = 0; r < 2; r++) {
            for (int g = 0; g < 2; g++) {
                data.put((byte) (127 + g));
                for (int j = 0; j < 16; j++) {
                    int low = (r + j) % 16;
                    int high = (r + j + 16) % 16;
                    data.put((byte) (low | high << 4));
                    // + 0f: the vector codec decodes the code of −0 as +0.
                    want[r * 64 + g * 32 + j] = Mxfp4Tensor.fp4(low) * (1 << g) + 0f;
                    want[r * 64 + g * 32 + 16 + j] = Mxfp4Tensor.fp4(high) * (1 << g) + 0f;
                }
            }
        }
        GgufWriter w = new GgufWriter();
        w.addTensor("m", GgufType.MXFP4, new long[] {2, 64}, out -> out.write(data.flip()));
        Path file = dir.resolve("mxfp4.gguf");
        w.write(file);
        GgufFile g = GgufFile.open(file);
        GgufTensorInfo t = g.tensors().get("m");
        assertEquals(GgufType.MXFP4, t.type());
        assertEquals(68, t.bytes());
        GgufFile.MappedRows m = g.map(t);
        float[] got = new float[128];
        GgufCodec.decode(m.chunks()[0], 0, GgufType.MXFP4, got, 0, 64);
        GgufCodec.decode(m.chunks()[0], 34, GgufType.MXFP4, got, 64, 64);
        for (int i = 0; i < got.length; i++) {
            got[i] += 0f;
        }
        assertArrayEquals(want, got);
        float[] matrix =
                io.moezoo.engine.tensor.WeightMatrix.of(
                                GgufType.MXFP4.format(), 2, 64, m.chunks(), m.rowsPerChunk())
                        .toFloats();
        for (int i = 0; i < matrix.length; i++) {
            matrix[i] += 0f;
        }
        assertArrayEquals(want, matrix);
    }
}
