package io.moezoo.recipes.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The vision family's same-size CNN baseline: shapes, parameter count, a short training run. */
class FashionCnnTest {

    @Test
    void shapesAndParameterCountMatchTheHandCount() {
        try (Model model = Model.newInstance("cnn", "PyTorch")) {
            SequentialBlock net = FashionCnn.build(10);
            model.setBlock(net);
            net.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(2, 1, 28, 28));
            Shape[] shapes = {new Shape(2, 1, 28, 28)};
            // conv stage by stage: 28 -> 14 -> 7 -> 3 (floor)
            long[][] expected = {
                {2, 32, 28, 28}, {2, 32, 28, 28}, {2, 32, 28, 28}, {2, 32, 14, 14},
                {2, 64, 14, 14}, {2, 64, 14, 14}, {2, 64, 14, 14}, {2, 64, 7, 7},
                {2, 128, 7, 7}, {2, 128, 7, 7}, {2, 128, 7, 7}, {2, 128, 3, 3},
                {2, 1152}, {2, 128}, {2, 128}, {2, 10}
            };
            int i = 0;
            for (Pair<String, ai.djl.nn.Block> child : net.getChildren()) {
                shapes = child.getValue().getOutputShapes(shapes);
                assertArrayEquals(expected[i++], shapes[0].getShape(), child.getKey());
            }
            assertEquals(expected.length, i);
            Map<String, Long> byShape = new LinkedHashMap<>();
            long trained = 0;
            long statistics = 0;
            for (Pair<String, Parameter> p : net.getParameters()) {
                long size = p.getValue().getArray().size();
                if (p.getValue().requiresGradient()) {
                    trained += size;
                    byShape.put(p.getKey(), size);
                } else {
                    statistics += size;
                }
            }
            // Hand count: 3x3 convs without bias, BatchNorm gamma+beta, two linear layers.
            assertEquals(9 * 1 * 32, byShape.get("01Conv2d_weight"));
            assertEquals(9 * 32 * 64, byShape.get("05Conv2d_weight"));
            assertEquals(9 * 64 * 128, byShape.get("09Conv2d_weight"));
            assertEquals(1152 * 128, byShape.get("14Linear_weight"));
            assertEquals(128 * 10, byShape.get("16Linear_weight"));
            assertEquals(92_448 + 448 + 147_456 + 128 + 1_280 + 10, trained);
            assertEquals(241_770, FashionCnn.PARAMETERS);
            assertEquals(FashionCnn.PARAMETERS, trained);
            assertEquals(2 * (32 + 64 + 128), statistics, "BatchNorm running mean and variance");
            long vit = VisionMoeTraining.moeSpec().totalParameters();
            // The hybrid V-MoE: the same convolutions (92,896) + patch embedding 128·64 + 64 +
            // positions 9·64 + 2 blocks (attention 4·64² + 4·64, LayerNorms 4·64 each) + a dense
            // MLP 2·64·128 + 128 + 64 + an MoE MLP (router 8·64, 8 experts 2·64² + 128) + final
            // LayerNorm 128 + head 650.
            assertEquals(
                    92_896
                            + 8_256
                            + 576
                            + 2 * (16_640 + 256)
                            + 16_576
                            + 512
                            + 8 * 8_320
                            + 128
                            + 650,
                    vit);
            assertTrue(
                    trained >= vit && trained <= 1.15 * vit,
                    "the CNN is at least the V-MoE's size and at most 15% larger: "
                            + trained
                            + " vs "
                            + vit);
            NDArray logits =
                    model.getBlock()
                            .forward(
                                    new ai.djl.training.ParameterStore(model.getNDManager(), false),
                                    new NDList(model.getNDManager().ones(new Shape(3, 1, 28, 28))),
                                    false)
                            .head();
            assertEquals(new Shape(3, 10), logits.getShape());
        }
    }

    /** A few Adam steps on one fixed batch of real images: the loss falls, and runs repeat. */
    @Test
    void fewStepsReduceTheLossDeterministically() throws Exception {
        FashionMnist test = FashionMnist.load(FashionMnist.Split.TEST);
        float[] first = losses(test);
        float[] second = losses(test);
        assertArrayEquals(first, second, "seeded runs repeat: " + Arrays.toString(first));
        assertTrue(
                first[first.length - 1] < 0.5 * first[0],
                "the loss falls: " + Arrays.toString(first));
    }

    private static float[] losses(FashionMnist images) {
        int n = 32;
        float[] x = new float[n * 784];
        float[] y = new float[n];
        for (int b = 0; b < n; b++) {
            byte[] p = images.pixels(b);
            for (int i = 0; i < 784; i++) {
                x[b * 784 + i] =
                        ((p[i] & 0xFF) / 255f - VisionMoeTraining.MEAN) / VisionMoeTraining.STD;
            }
            y[b] = images.label(b);
        }
        Engine.getInstance().setRandomSeed(7);
        float[] losses = new float[6];
        try (Model model = Model.newInstance("cnn", "PyTorch")) {
            model.setBlock(FashionCnn.build(10));
            DefaultTrainingConfig config =
                    new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                            .optOptimizer(
                                    Optimizer.adamW()
                                            .optLearningRateTracker(Tracker.fixed(2e-3f))
                                            .build());
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(n, 1, 28, 28));
                NDList data = new NDList(trainer.getManager().create(x, new Shape(n, 1, 28, 28)));
                NDList labels = new NDList(trainer.getManager().create(y, new Shape(n)));
                for (int s = 0; s < losses.length; s++) {
                    try (GradientCollector collector = trainer.newGradientCollector()) {
                        NDArray loss = trainer.getLoss().evaluate(labels, trainer.forward(data));
                        collector.backward(loss);
                        losses[s] = loss.getFloat();
                    }
                    trainer.step();
                }
            }
        }
        return losses;
    }

    /** The recipe's own loop trains the CNN (seeded split, augmentation, schedule) end to end. */
    @Test
    void theVisionLoopTrainsTheCnn() throws Exception {
        FashionMnist test = FashionMnist.load(FashionMnist.Split.TEST);
        int n = 480;
        FashionMnist small =
                new FashionMnist(
                        Arrays.copyOf(test.images(), n * 784), Arrays.copyOf(test.labels(), n), n);
        TrainingRecipe recipe = new TrainingRecipe(2, 32, 2e-3f, 5, 0.05f, 1, false, 0f, 0f, 96, 0);
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        try (Model model = Model.newInstance(FashionCnn.NAME, "PyTorch")) {
            model.setBlock(FashionCnn.build(10));
            double validation =
                    VisionTrainingLoop.fit(
                            model,
                            new VisionTrainingLoop.Input(
                                    FashionCnn.NAME,
                                    1,
                                    28,
                                    VisionMoeTraining.MEAN,
                                    VisionMoeTraining.STD),
                            recipe,
                            small,
                            1,
                            new PrintStream(log, true, StandardCharsets.UTF_8));
            assertTrue(validation > 0.3, "well above chance after 24 steps: " + validation);
            double accuracy = CnnBaseline.accuracy(model.getBlock(), model.getNDManager(), small);
            assertTrue(
                    accuracy > 0.3, "inference mode (running BatchNorm statistics): " + accuracy);
        }
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("epoch 1 validation accuracy"));
    }

    /** Recording a result twice leaves one row and one paragraph in the card's README. */
    @Test
    void readmeEntryIsInsertedOnceAfterTheResultsTable() {
        String readme =
                "# x\n\n## Results (official 10,000-image test set)\n\n| model | a |\n|---|---:|\n"
                        + "| vit | 1 |\n| dense | 2 |\n\nValidation accuracy is ...\n";
        JsonObject entry =
                new CnnBaseline.Result(0.91234, 0.92, 1234.0, VisionMoeTraining.recipe(), 42L)
                        .toJsonObject();
        String once = CnnBaseline.withReadme(readme, entry);
        assertEquals(once, CnnBaseline.withReadme(once, entry));
        assertTrue(
                once.contains(
                        "| dense | 2 |\n| cnn-fashion-mnist (classical baseline, recorded, not"
                                + " shipped) | 241,770 | 241,770 | 0.9200 | 0.9123 |\n\nThe CNN"
                                + " baseline (`cnn-fashion-mnist`)"),
                once);
        assertTrue(once.contains("20 epochs (1234 s"), once);
        assertTrue(once.endsWith("\n\nValidation accuracy is ...\n"), once);
        assertEquals(
                "none (the CNN has no router, hence no auxiliary losses)",
                entry.get("recipeDifferences").getAsString());
    }

    /** Retraining the V-MoE rewrites its card but keeps the recorded CNN entry and README rows. */
    @Test
    void aVitRetrainKeepsTheRecordedCnnEntry(@TempDir Path dir) throws IOException {
        JsonObject entry =
                new CnnBaseline.Result(0.91234, 0.92, 1234.0, VisionMoeTraining.recipe(), 42L)
                        .toJsonObject();
        JsonObject previous = new JsonObject();
        JsonObject baselines = new JsonObject();
        baselines.add(CnnBaseline.KEY, entry);
        previous.add("baselines", baselines);
        Files.writeString(dir.resolve("card.json"), previous.toString());
        int[][] confusion = new int[10][10];
        for (int c = 0; c < 10; c++) {
            confusion[c][c] = 10;
        }
        VisionMoeTraining.TrainingReport report =
                new VisionMoeTraining.TrainingReport(
                        "vit-moe-fashion-mnist", 0.5, 0.6, 100, "dense", 0.4, 0.45, 90, confusion);
        ModelCard.write(
                dir,
                VisionMoeTraining.moeSpec(),
                VisionMoeTraining.denseSpec(),
                VisionMoeTraining.recipe(),
                42L,
                report,
                new FashionMnistEvaluator.Evaluation(0.5, confusion, 100),
                new FashionMnistEvaluator.Evaluation(0.4, confusion, 100));
        JsonObject card =
                JsonParser.parseString(Files.readString(dir.resolve("card.json")))
                        .getAsJsonObject();
        assertEquals(entry, card.getAsJsonObject("baselines").getAsJsonObject(CnnBaseline.KEY));
        assertEquals(0.5, card.getAsJsonObject("metrics").get("test_accuracy").getAsDouble());
        String readme = Files.readString(dir.resolve("README.md"));
        assertTrue(readme.contains(CnnBaseline.readmeRow(entry)), readme);
        assertTrue(readme.contains(CnnBaseline.readmeParagraph(entry)), readme);
        assertTrue(readme.contains("Convolutional stem (hybrid ViT): 3 stages"), readme);
    }
}
