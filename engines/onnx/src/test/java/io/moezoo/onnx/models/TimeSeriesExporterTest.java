package io.moezoo.onnx.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.timeseries.Forecast;
import ai.djl.timeseries.TimeSeriesData;
import ai.djl.training.ParameterStore;
import io.moezoo.models.timeseries.TimeMoeForecaster;
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
            TimeMoeForecaster block = (TimeMoeForecaster) model.getBlock();
            int batch = 3;
            int steps = 48;
            Shape shape = new Shape(batch, steps);
            float[] values = LayerFixture.gaussian(21, 1f, batch * steps);
            List<float[]> expected = new ArrayList<>();
            try (NDManager manager = model.getNDManager().newSubManager()) {
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
                Path file = dir.resolve("ts-" + mode + ".onnx");
                TimeSeriesExporter.export(block, mode).write(file);
                try (OrtRunner ort = new OrtRunner(file)) {
                    List<float[]> actual = ort.run(m -> new NDList(m.create(values, shape)));
                    assertEquals(expected.size(), actual.size());
                    for (int i = 0; i < expected.size(); i++) {
                        double diff = OrtRunner.maxAbsDiff(expected.get(i), actual.get(i));
                        assertTrue(diff < 1e-4, mode + " head " + i + ": " + diff);
                    }
                }
            }
        }
    }
}
