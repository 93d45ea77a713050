package io.moezoo.engine.kernel.vector;

import io.moezoo.engine.tensor.Mxfp4Codec;
import io.moezoo.engine.tensor.RowCodec;
import io.moezoo.engine.tensor.WeightFormat;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;
import jdk.incubator.vector.FloatVector;

/**
 * The Vector API codecs by format; formats without one keep their scalar codec (the byte-based
 * formats need a preferred species of at least 256 bits).
 */
public final class VectorCodecs implements Supplier<Map<WeightFormat, RowCodec>> {

    /** Creates the registry (reflectively, by {@link io.moezoo.engine.tensor.Codecs}). */
    public VectorCodecs() {}

    /** {@inheritDoc} */
    @Override
    public Map<WeightFormat, RowCodec> get() {
        Map<WeightFormat, RowCodec> codecs = new EnumMap<>(WeightFormat.class);
        // The byte formats load a quarter-width byte species, which exists from 256 bits on;
        // their classes are only touched when it does.
        int bits = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        codecs.put(WeightFormat.F32, new F32Vector());
        codecs.put(WeightFormat.BF16, new Bf16Vector());
        codecs.put(WeightFormat.F16, new F16Vector());
        if (bits >= 256) {
            codecs.put(WeightFormat.F8_E4M3, new E4m3Vector());
        }
        if (lanes >= 8 && lanes <= 32) {
            codecs.put(WeightFormat.Q8_0, new Q8Vector());
        }
        if (lanes == 8 || lanes == 16) {
            codecs.put(WeightFormat.Q4_0, new Q4Vector());
            codecs.put(WeightFormat.MXFP4_GGUF, new GgufMxfp4Vector());
        }
        return codecs;
    }

    /**
     * Returns the Vector API codec of MXFP4 rows (kept apart from the map: its scales are a second
     * tensor, so it is no {@link RowCodec}), or null where the preferred float species has other
     * than 8 or 16 lanes.
     *
     * @return the codec, or null
     */
    public Mxfp4Codec mxfp4() {
        int lanes = FloatVector.SPECIES_PREFERRED.length();
        return lanes == 8 || lanes == 16 ? new Mxfp4Vector() : null;
    }
}
