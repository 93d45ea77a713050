package io.moezoo.engine.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moezoo.formats.BlockFormat;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/**
 * The codec registry picks the Vector API codecs when the module is present (surefire adds it), and
 * the scalar block codecs compute exactly what {@link BlockFormat#dequantize} gives.
 */
class CodecsTest {

    private static final String VECTOR_PACKAGE = "io.moezoo.engine.kernel.vector";

    @Test
    void vectorCodecsAreSelectedWhenTheModuleIsPresent() {
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
        assertTrue(Codecs.vectorized());
        for (WeightFormat format :
                new WeightFormat[] {WeightFormat.F32, WeightFormat.BF16, WeightFormat.F16}) {
            assertEquals(
                    VECTOR_PACKAGE,
                    Codecs.of(format).getClass().getPackageName(),
                    format.toString());
        }
        if (FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256) {
            for (WeightFormat format :
                    new WeightFormat[] {
                        WeightFormat.F8_E4M3, WeightFormat.Q8_0, WeightFormat.Q4_0
                    }) {
                assertEquals(
                        VECTOR_PACKAGE,
                        Codecs.of(format).getClass().getPackageName(),
                        format.toString());
            }
        }
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        if (lanes == 8 || lanes == 16) {
            assertEquals(VECTOR_PACKAGE, Codecs.mxfp4().getClass().getPackageName(), "MXFP4");
        }
    }

    @Test
    void scalarBlockCodecsDecodeLikeBlockFormatAndDotItsValues() {
        Random random = new Random(5);
        for (BlockFormat block : BlockFormat.values()) {
            WeightFormat format = WeightFormat.valueOf(block.name());
            assertEquals(block.blockBytes(), format.blockBytes());
            RowCodec codec = ScalarCodecs.all().get(format);
            int count = 32 * 9;
            float[] values = new float[count];
            for (int i = 0; i < count; i++) {
                values[i] = (float) random.nextGaussian();
            }
            ByteBuffer data =
                    ByteBuffer.allocate(7 + count / 32 * block.blockBytes())
                            .order(ByteOrder.LITTLE_ENDIAN);
            block.quantize(values, 0, count, data, 7);
            float[] expected = new float[count];
            block.dequantize(data, 7, expected, 0, count);
            float[] decoded = new float[count];
            codec.decode(StoredBytes.of(data), 7, decoded, 0, count);
            float[] x = new float[count];
            float dot = 0;
            for (int i = 0; i < count; i++) {
                assertEquals(
                        Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(decoded[i]));
                x[i] = (float) random.nextGaussian();
                dot += expected[i] * x[i];
            }
            assertEquals(
                    dot, codec.dot(StoredBytes.of(data), 7, x, 0, count), 0f, format.toString());
        }
    }
}
