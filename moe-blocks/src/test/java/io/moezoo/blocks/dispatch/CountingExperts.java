package io.moezoo.blocks.dispatch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import io.moezoo.blocks.experts.Experts;
import io.moezoo.blocks.spec.ExpertSpec;

/** Parameter-free experts {@code E_e(x) = (e + 1)·x} that count the rows they process. */
final class CountingExperts extends Experts {

    int rows;
    int calls;

    CountingExperts(int numExperts, int hidden) {
        super(ExpertSpec.swiGlu(numExperts, hidden, 1));
    }

    @Override
    protected NDArray forwardExpert(NDList weights, int expert, NDArray x) {
        rows += Math.toIntExact(x.getShape().get(0));
        calls++;
        return x.mul(expert + 1);
    }

    @Override
    protected NDArray forwardAll(NDList weights, NDArray buffer) {
        long e = buffer.getShape().get(0);
        NDArray scale = buffer.getManager().arange(1f, e + 1f).reshape(e, 1, 1);
        return buffer.mul(scale);
    }
}
