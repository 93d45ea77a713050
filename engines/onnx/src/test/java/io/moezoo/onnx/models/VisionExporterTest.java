package io.moezoo.onnx.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.moezoo.blocks.dispatch.DispatcherKinds;
import io.moezoo.blocks.spec.CapacityTopKSpec;
import io.moezoo.blocks.spec.ExpertActivation;
import io.moezoo.blocks.spec.MlpExpertSpec;
import io.moezoo.models.vision.VisionMoeSpec;
import io.moezoo.models.vision.VisionMoeTransformer;
import io.moezoo.onnx.LayerFixture;
import io.moezoo.onnx.OrtRunner;
import io.moezoo.onnx.moe.DispatchMode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VisionExporterTest {

    @TempDir Path dir;

    @Test
    void zooVitMoeMatchesPyTorch() throws Exception {
        Criteria<Image, Classifications> criteria =
                Criteria.builder()
                        .setTypes(Image.class, Classifications.class)
                        .optGroupId("io.moezoo")
                        .optArtifactId("vit-moe-fashion-mnist")
                        .optEngine("PyTorch")
                        .build();
        try (ZooModel<Image, Classifications> model = criteria.loadModel()) {
            assertMatches((VisionMoeTransformer) model.getBlock(), model.getNDManager(), "zoo");
        }
    }

    @Test
    void randomHybridWithFlattenPoolingMatchesPyTorch() throws Exception {
        assertRandomHybridMatches(
                tinyHybrid("flatten", VisionMoeSpec.Pooling.FLATTEN).withStem(List.of(4, 8, 8)));
    }

    @Test
    void randomHybridWithAnUnpooledStemStageMatchesPyTorch() throws Exception {
        VisionMoeSpec spec =
                tinyHybrid("unpooled", VisionMoeSpec.Pooling.MEAN).withStem(List.of(4, 8, 8), 1);
        assertEquals(49, spec.numPatches());
        assertRandomHybridMatches(spec);
    }

    /** A small V-MoE (D = 16, 4 experts top-2 in block 1) without a stem yet. */
    private static VisionMoeSpec tinyHybrid(String name, VisionMoeSpec.Pooling pooling) {
        return new VisionMoeSpec(
                name,
                28,
                1,
                1,
                16,
                2,
                2,
                32,
                List.of(1),
                CapacityTopKSpec.of(4, 2, 1.05f).withCapacityMultiple(4).withBatchPrioritized(true),
                MlpExpertSpec.of(4, 16, 16).withActivation(ExpertActivation.GELU).withBias(true),
                DispatcherKinds.SORTED,
                pooling,
                10,
                1e-6f,
                0f,
                0f,
                0.3f,
                0.4f);
    }

    private void assertRandomHybridMatches(VisionMoeSpec spec) throws Exception {
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            Engine.getEngine("PyTorch").setRandomSeed(5);
            VisionMoeTransformer block = new VisionMoeTransformer(spec);
            block.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            assertMatches(block, manager, spec.name());
        }
    }

    private void assertMatches(VisionMoeTransformer block, NDManager owner, String label)
            throws Exception {
        VisionMoeSpec spec = block.getSpec();
        int batch = 6;
        int side = spec.imageSize();
        Shape shape = new Shape(batch, spec.channels(), side, side);
        float[] images = LayerFixture.gaussian(11, 1f, (int) shape.size());
        float[] expected;
        try (NDManager manager = owner.newSubManager()) {
            expected = LayerFixture.forward(block, manager, images, shape);
        }
        for (DispatchMode mode : DispatchMode.values()) {
            Path file = dir.resolve(label + "-vit-" + mode + ".onnx");
            VisionExporter.export(block, mode).write(file);
            try (OrtRunner ort = new OrtRunner(file)) {
                float[] actual = ort.run(m -> new NDList(m.create(images, shape))).get(0);
                double diff = OrtRunner.maxAbsDiff(expected, actual);
                assertTrue(diff < 1e-4, label + " " + mode + ": max |Δlogit| " + diff);
                assertArrayEquals(argmax(expected, batch), argmax(actual, batch));
                // Batch 1 as well: capacity groups are per image.
                float[] one = java.util.Arrays.copyOf(images, (int) (shape.size() / batch));
                Shape oneShape = new Shape(1, spec.channels(), side, side);
                float[] oneOut = ort.run(m -> new NDList(m.create(one, oneShape))).get(0);
                float[] oneExpected = java.util.Arrays.copyOf(expected, spec.numClasses());
                assertTrue(OrtRunner.maxAbsDiff(oneExpected, oneOut) < 1e-4, label + " batch 1");
            }
            // The same graph with its weights in an external data file.
            Path external = dir.resolve(label + "-external-" + mode).resolve("vit.onnx");
            VisionExporter.export(block, mode).writeWithExternalData(external, 1024);
            try (OrtRunner ort = new OrtRunner(external)) {
                float[] actual = ort.run(m -> new NDList(m.create(images, shape))).get(0);
                assertTrue(OrtRunner.maxAbsDiff(expected, actual) < 1e-4, label + " external data");
            }
        }
    }

    static int[] argmax(float[] logits, int batch) {
        int classes = logits.length / batch;
        int[] best = new int[batch];
        for (int b = 0; b < batch; b++) {
            for (int c = 1; c < classes; c++) {
                if (logits[b * classes + c] > logits[b * classes + best[b]]) {
                    best[b] = c;
                }
            }
        }
        return best;
    }
}
