package io.moezoo.onnx.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.timeseries.Forecast;
import ai.djl.timeseries.TimeSeriesData;
import ai.djl.training.ParameterStore;
import io.moezoo.models.timeseries.TimeMoeForecaster;
import io.moezoo.models.timeseries.TimeMoeSpec;
import io.moezoo.onnx.LayerFixture;
import io.moezoo.onnx.OrtRunner;
import io.moezoo.onnx.moe.DispatchMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimeSeriesExporterTest {

    @TempDir Path dir;

    @Test
    void zooTimeMoeMatchesPyTorch() throws Exception {
        Criteria<TimeSeriesData, Forecast> criteria =
                Criteria.builder()
                        .setTypes(TimeSeriesData.class, Forecast.class)
                        .optGroupId("io.moezoo")
                        .optArtifactId("time-moe-vega")
                        .optEngine("PyTorch")
                        .build();
        try (ZooModel<TimeSeriesData, Forecast> model = criteria.loadModel()) {
            assertMatches((TimeMoeForecaster) model.getBlock(), model.getNDManager(), "zoo");
        }
    }

    @Test
    void randomModelsWithAndWithoutTheLastValueSkipMatchPyTorch() throws Exception {
        for (boolean skip : new boolean[] {false, true}) {
            TimeMoeSpec spec =
                    new TimeMoeSpec(
                            1,
                            16,
                            16,
                            2,
                            2,
                            4,
                            2,
                            new int[] {1, 4, 8},
                            64,
                            10000.0,
                            1e-6f,
                            0.02f,
                            2f,
                            skip);
            try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
                Engine.getEngine("PyTorch").setRandomSeed(3);
                TimeMoeForecaster block = new TimeMoeForecaster(spec);
                block.initialize(manager, DataType.FLOAT32, new Shape(1, 1));
                assertMatches(block, manager, "skip=" + skip);
            }
        }
    }

    private void assertMatches(TimeMoeForecaster block, NDManager owner, String label)
            throws Exception {
        int batch = 3;
        int steps = 48;
        Shape shape = new Shape(batch, steps);
        float[] values = LayerFixture.gaussian(21, 1f, batch * steps);
        List<float[]> expected = new ArrayList<>();
        try (NDManager manager = owner.newSubManager()) {
            NDList out =
                    block.forward(
                            new ParameterStore(manager, false),
                            new NDList(manager.create(values, shape)),
                            false);
            for (NDArray a : out) {
                expected.add(a.toFloatArray());
            }
        }
        for (DispatchMode mode : DispatchMode.values()) {
            Path file = dir.resolve("ts-" + label + "-" + mode + ".onnx");
            TimeSeriesExporter.export(block, mode).write(file);
            try (OrtRunner ort = new OrtRunner(file)) {
                List<float[]> actual = ort.run(m -> new NDList(m.create(values, shape)));
                assertEquals(expected.size(), actual.size());
                for (int i = 0; i < expected.size(); i++) {
                    double diff = OrtRunner.maxAbsDiff(expected.get(i), actual.get(i));
                    assertTrue(diff < 1e-4, label + " " + mode + " head " + i + ": " + diff);
                }
            }
        }
    }
}
