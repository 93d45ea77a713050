package io.moezoo.onnx.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import ai.djl.translate.NoopTranslator;
import io.moezoo.onnx.OrtRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RewardExporterTest {

    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"dmoerm-brown", "armorm-brown"})
    void zooRewardModelsMatchPyTorch(String id) throws Exception {
        Criteria<NDList, NDList> criteria =
                Criteria.builder()
                        .setTypes(NDList.class, NDList.class)
                        .optGroupId("io.moezoo")
                        .optArtifactId(id)
                        .optEngine("PyTorch")
                        .optTranslator(new NoopTranslator())
                        .build();
        int batch = 5;
        int bytes =
                100; // past the encoder's maxPositionEmbeddings (64): RoPE is computed, not tabled
        long[] ids = new long[batch * bytes];
        float[] prompt = new float[batch * bytes];
        float[] response = new float[batch * bytes];
        Random rng = new Random(17);
        for (int b = 0; b < batch; b++) {
            int split = 8 + 4 * b;
            for (int t = 0; t < bytes; t++) {
                ids[b * bytes + t] = 32 + rng.nextInt(90);
                prompt[b * bytes + t] = t < split ? 1 : 0;
                response[b * bytes + t] = t >= split && t < bytes - b ? 1 : 0;
            }
        }
        Shape shape = new Shape(batch, bytes);
        try (ZooModel<NDList, NDList> model = criteria.loadModel()) {
            List<float[]> expected = new ArrayList<>();
            try (NDManager m = model.getNDManager().newSubManager()) {
                NDList out =
                        model.getBlock()
                                .forward(
                                        new ParameterStore(m, false),
                                        new NDList(
                                                m.create(ids, shape),
                                                m.create(prompt, shape),
                                                m.create(response, shape)),
                                        false);
                for (NDArray a : out) {
                    expected.add(a.toFloatArray());
                }
            }
            Path file = dir.resolve(id + ".onnx");
            RewardExporter.export(model.getBlock()).write(file);
            try (OrtRunner ort = new OrtRunner(file)) {
                List<float[]> actual =
                        ort.run(
                                m ->
                                        new NDList(
                                                m.create(ids, shape),
                                                m.create(prompt, shape),
                                                m.create(response, shape)));
                assertEquals(expected.size(), actual.size());
                for (int i = 0; i < expected.size(); i++) {
                    double diff = OrtRunner.maxAbsDiff(expected.get(i), actual.get(i));
                    assertTrue(diff < 1e-4, id + " output " + i + ": " + diff);
                }
            }
        }
    }
}
