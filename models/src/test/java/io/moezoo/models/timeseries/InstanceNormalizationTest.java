package io.moezoo.models.timeseries;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.moezoo.translators.timeseries.InstanceNormalization;
import org.junit.jupiter.api.Test;

/** Time-MoE-style instance normalisation. */
class InstanceNormalizationTest {

    @Test
    void usesMeanAndUnbiasedStd() {
        // mean 5, squared deviations 9+1+1+9 = 20, unbiased variance 20/3
        InstanceNormalization n = InstanceNormalization.of(new float[] {2, 4, 6, 8});
        assertEquals(5.0, n.mean(), 1e-12);
        assertEquals(Math.sqrt(20.0 / 3), n.scale(), 1e-12);
        float s = (float) Math.sqrt(20.0 / 3);
        assertArrayEquals(
                new float[] {-3 / s, -1 / s, 1 / s, 3 / s},
                n.normalize(new float[] {2, 4, 6, 8}, 0, 4),
                1e-6f);
    }

    @Test
    void roundTrip() {
        float[] values = {1200.5f, 1190.25f, 1310f, 1405.75f, 1388f, 1299.5f};
        InstanceNormalization n = InstanceNormalization.of(values, 1, 5);
        float[] z = n.normalize(values, 0, values.length);
        assertArrayEquals(values, n.denormalize(z), 1e-3f);
    }

    @Test
    void constantSeriesIsOnlyCentred() {
        InstanceNormalization n = InstanceNormalization.of(new float[] {7, 7, 7});
        assertEquals(1.0, n.scale(), 0);
        assertArrayEquals(new float[] {0, 0, 0}, n.normalize(new float[] {7, 7, 7}, 0, 3));
    }

    @Test
    void rejectsEmptyAndNonFinite() {
        assertThrows(IllegalArgumentException.class, () -> InstanceNormalization.of(new float[0]));
        assertThrows(
                IllegalArgumentException.class,
                () -> InstanceNormalization.of(new float[] {1, Float.NaN}));
    }
}
