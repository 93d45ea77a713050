package io.moezoo.engine.kernel.vector;

import io.moezoo.engine.tensor.RowCodec;
import io.moezoo.engine.tensor.WeightFormat;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;

/** The Vector API codecs by format; formats without one keep their scalar codec. */
public final class VectorCodecs implements Supplier<Map<WeightFormat, RowCodec>> {

    /** Creates the registry (reflectively, by {@link io.moezoo.engine.tensor.Codecs}). */
    public VectorCodecs() {}

    /** {@inheritDoc} */
    @Override
    public Map<WeightFormat, RowCodec> get() {
        Map<WeightFormat, RowCodec> codecs = new EnumMap<>(WeightFormat.class);
        codecs.put(WeightFormat.F32, new F32Vector());
        codecs.put(WeightFormat.BF16, new Bf16Vector());
        return codecs;
    }
}
