package io.moezoo.blocks.loss;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.moezoo.blocks.routing.RoutingDecision;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The weighted auxiliary-loss sum against hand arithmetic. */
class AuxiliaryLossesTest {

    /** A loss that returns a fixed value times the number of layers it is given. */
    private record Constant(NDManager manager, float value) implements AuxiliaryLoss {
        @Override
        public String name() {
            return "constant";
        }

        @Override
        public NDArray compute(List<LayerRouting> layers) {
            return manager.create(value * layers.size());
        }
    }

    private static List<LayerRouting> twoLayers() {
        RoutingDecision none = null;
        LayerRouting layer = new LayerRouting(none, new long[] {1}, 1);
        return List.of(layer, layer);
    }

    @Test
    void sumsEveryTermTimesItsCoefficient() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray sum =
                    AuxiliaryLosses.weightedSum(
                            List.of(
                                    new AuxLossTerm(new Constant(m, 2f), 0.5f),
                                    new AuxLossTerm(new Constant(m, 5f), 0.1f),
                                    new AuxLossTerm(new Constant(m, 7f), 0f)),
                            twoLayers());
            // 0.5·(2·2) + 0.1·(5·2) + 0·(7·2) = 3
            assertEquals(3f, sum.getFloat(), 1e-6f);
            assertEquals(MoeLoss.AUX_LOSS, sum.getName());
        }
    }

    @Test
    void rejectsNoTermsOrNoLayers() {
        try (NDManager m = NDManager.newBaseManager()) {
            List<AuxLossTerm> one = List.of(new AuxLossTerm(new Constant(m, 1f), 1f));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> AuxiliaryLosses.weightedSum(List.of(), twoLayers()));
            assertThrows(
                    IllegalArgumentException.class,
                    () -> AuxiliaryLosses.weightedSum(one, List.of()));
        }
    }
}
