package io.moezoo.blocks.layer;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.moezoo.blocks.MoeTestSupport;
import io.moezoo.blocks.loss.LayerRouting;
import io.moezoo.blocks.loss.LoadBalancingLoss;
import io.moezoo.blocks.loss.RouterZLoss;
import io.moezoo.blocks.residual.RoutedOutput;
import io.moezoo.blocks.spec.MlpExpertSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.RouterPresets;
import io.moezoo.blocks.spec.SharedExpertSpec;
import io.moezoo.blocks.spec.SwiGluExpertSpec;
import io.moezoo.blocks.surgery.WeightAssignment;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Autograd gradients of router and experts against central finite differences on tiny sizes. */
class GradientTest {

    private static final int H = 4;
    private static final int T = 6;

    static Stream<Arguments> layers() {
        return Stream.of(
                Arguments.of(
                        "mixtral swiglu",
                        MoeLayerSpec.of(
                                RouterPresets.mixtral(3, 2), new SwiGluExpertSpec(3, H, 3))),
                Arguments.of(
                        "qwen + shared",
                        MoeLayerSpec.of(
                                        RouterPresets.qwenMoe(3, 2, false),
                                        new SwiGluExpertSpec(3, H, 3))
                                .withSharedExpert(new SharedExpertSpec(3, true))),
                Arguments.of(
                        "mlp gelu",
                        MoeLayerSpec.of(
                                RouterPresets.qwenMoe(3, 2, false), MlpExpertSpec.of(3, H, 3))),
                Arguments.of(
                        "deepseek-v3",
                        MoeLayerSpec.of(
                                RouterPresets.deepSeekV3(4, 2, 2, 1, 2.5f),
                                new SwiGluExpertSpec(4, H, 3))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void layerGradientsMatchFiniteDifferences(String name, MoeLayerSpec spec) {
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeLayer layer = MoeTestSupport.init(new MoeLayer(spec), manager, -1, H);
            NDArray x = MoeTestSupport.gaussian(manager, 11, T, H);
            NDArray r = MoeTestSupport.gaussian(manager, 12, T, H);
            Function<Boolean, NDArray> objective =
                    grad ->
                            layer.forward(new ParameterStore(manager, false), new NDList(x), grad)
                                    .head()
                                    .mul(r)
                                    .sum();
            check(name, layer, objective, manager);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void auxLossGradientsReachTheRouter(String name, MoeLayerSpec spec) {
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeLayer layer = MoeTestSupport.init(new MoeLayer(spec), manager, -1, H);
            NDArray x = MoeTestSupport.gaussian(manager, 13, T, H);
            Function<Boolean, NDArray> objective =
                    grad -> {
                        RoutedOutput out =
                                layer.forwardRouted(new ParameterStore(manager, false), x, grad);
                        List<LayerRouting> l =
                                List.of(
                                        LayerRouting.microBatch(
                                                out.routing(), spec.router().numChoices()));
                        return new LoadBalancingLoss()
                                .compute(l)
                                .add(new RouterZLoss().compute(l).mul(0.1f));
                    };
            check(name + " aux", layer.getRouter(), objective, manager);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("layers")
    void inputGradientsMatchFiniteDifferences(String name, MoeLayerSpec spec) {
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeLayer layer = MoeTestSupport.init(new MoeLayer(spec), manager, -1, H);
            NDArray x = MoeTestSupport.gaussian(manager, 21, 2, T, H);
            NDArray r = MoeTestSupport.gaussian(manager, 22, 2, T, H);
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(
                        layer.forward(new ParameterStore(manager, false), new NDList(x), true)
                                .head()
                                .mul(r)
                                .sum());
            }
            float[] g = x.getGradient().toFloatArray();
            float[] base = x.toFloatArray();
            double eps = 1e-2;
            for (int i = 0; i < base.length; i += 5) {
                float[] plus = base.clone();
                plus[i] += (float) eps;
                float[] minus = base.clone();
                minus[i] -= (float) eps;
                double up =
                        layer.forward(
                                        new ParameterStore(manager, false),
                                        new NDList(manager.create(plus, x.getShape())),
                                        false)
                                .head()
                                .mul(r)
                                .sum()
                                .getFloat();
                double down =
                        layer.forward(
                                        new ParameterStore(manager, false),
                                        new NDList(manager.create(minus, x.getShape())),
                                        false)
                                .head()
                                .mul(r)
                                .sum()
                                .getFloat();
                double fd = (up - down) / (2 * eps);
                assertTrue(
                        Math.abs(fd - g[i]) <= 2e-3 + 2e-2 * Math.abs(fd),
                        name
                                + ": d/dx["
                                + i
                                + "] autograd "
                                + g[i]
                                + " vs finite difference "
                                + fd);
            }
        }
    }

    private static void check(
            String name,
            ai.djl.nn.Block block,
            Function<Boolean, NDArray> objective,
            NDManager manager) {
        List<Parameter> params =
                block.getParameters().values().stream()
                        .filter(Parameter::requiresGradient)
                        .toList();
        NDArray[] grads = new NDArray[params.size()];
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(objective.apply(true));
        }
        for (int p = 0; p < params.size(); p++) {
            grads[p] = params.get(p).getArray().getGradient().duplicate();
        }
        double eps = 1e-2;
        for (int p = 0; p < params.size(); p++) {
            Parameter param = params.get(p);
            NDArray original = param.getArray().duplicate();
            float[] base = original.toFloatArray();
            float[] g = grads[p].toFloatArray();
            int checked = 0;
            for (int i = 0;
                    i < base.length && checked < 6;
                    i += Math.max(1, base.length / 6), checked++) {
                float[] plus = base.clone();
                plus[i] += (float) eps;
                WeightAssignment.assign(param, manager.create(plus, original.getShape()));
                double up = objective.apply(false).getFloat();
                float[] minus = base.clone();
                minus[i] -= (float) eps;
                WeightAssignment.assign(param, manager.create(minus, original.getShape()));
                double down = objective.apply(false).getFloat();
                WeightAssignment.assign(param, original);
                double fd = (up - down) / (2 * eps);
                assertTrue(
                        Math.abs(fd - g[i]) <= 2e-3 + 2e-2 * Math.abs(fd),
                        name
                                + ": d/d "
                                + param.getName()
                                + "["
                                + i
                                + "] autograd "
                                + g[i]
                                + " vs finite difference "
                                + fd);
            }
        }
    }
}
