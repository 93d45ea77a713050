package io.moezoo.blocks.experts;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.moezoo.blocks.ParameterViews;
import io.moezoo.blocks.kernel.MatVec;
import io.moezoo.blocks.kernel.RowProduct;
import io.moezoo.blocks.spec.ExpertSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * E SwiGLU experts \(y = W_{down}(\mathrm{silu}(W_{gate} x) \odot W_{up} x)\) stored fused in the
 * Hugging Face v5 / vLLM layout: {@code gate_up_proj [E, 2I, H]} (gate rows first, then up) and
 * {@code down_proj [E, H, I]}.
 */
public final class SwiGluExperts extends Experts {

    private final Parameter gateUp;
    private final Parameter down;

    /**
     * Creates the bank.
     *
     * @param spec a {@link io.moezoo.blocks.spec.ExpertType#SWIGLU} spec
     */
    public SwiGluExperts(ExpertSpec spec) {
        super(spec);
        long e = spec.getNumExperts();
        long h = spec.getHiddenSize();
        long i = spec.getIntermediateSize();
        gateUp =
                addParameter(weight("gate_up_proj", Parameter.Type.WEIGHT, new Shape(e, 2 * i, h)));
        down = addParameter(weight("down_proj", Parameter.Type.WEIGHT, new Shape(e, h, i)));
    }

    /**
     * Returns {@code gate_up_proj [E, 2I, H]}.
     *
     * @return the fused gate/up parameter
     */
    public Parameter getGateUpProj() {
        return gateUp;
    }

    /**
     * Returns {@code down_proj [E, H, I]}.
     *
     * @return the down parameter
     */
    public Parameter getDownProj() {
        return down;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Two batches of products through {@link MatVec#rows(List)}: every chosen expert's gate/up
     * rows, then every down projection.
     */
    @Override
    public float[][] forwardToken(
            ParameterStore parameterStore, NDManager manager, int[] chosen, float[] x) {
        NDArray gateUpWeight = parameterStore.getValue(gateUp, Device.cpu(), false);
        NDArray downWeight = parameterStore.getValue(down, Device.cpu(), false);
        int intermediate = spec.getIntermediateSize();
        int hidden = spec.getHiddenSize();
        List<RowProduct> fused = new ArrayList<>();
        for (int e : chosen) {
            fused.add(
                    RowProduct.of(gateUpWeight, (long) e * 2 * intermediate, 2 * intermediate, x));
        }
        MatVec.rows(fused);
        List<RowProduct> downs = new ArrayList<>();
        for (int i = 0; i < chosen.length; i++) {
            float[] activated = SwiGlu.applyToken(fused.get(i).y());
            downs.add(RowProduct.of(downWeight, (long) chosen[i] * hidden, hidden, activated));
        }
        MatVec.rows(downs);
        float[][] out = new float[chosen.length][];
        for (int i = 0; i < chosen.length; i++) {
            out[i] = downs.get(i).y();
        }
        return out;
    }

    /** {@inheritDoc} */
    @Override
    protected NDArray forwardExpert(NDList w, NDArray x) {
        NDArray h = MatVec.linear(x, w.get(0));
        return MatVec.linear(SwiGlu.apply(h), w.get(1));
    }

    /** {@inheritDoc} */
    @Override
    protected NDArray forwardAll(NDList w, NDArray buffer) {
        NDArray h = buffer.batchMatMul(ParameterViews.transposed(w.get(0), buffer, 0, 2, 1));
        NDArray a = SwiGlu.apply(h);
        return a.batchMatMul(ParameterViews.transposed(w.get(1), buffer, 0, 2, 1));
    }
}
