package io.moezoo.recipes.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.moezoo.models.vision.PatchRouting;
import io.moezoo.models.vision.VisionMoeBlockFactory;
import io.moezoo.models.vision.VisionMoeSpec;
import io.moezoo.models.vision.VisionMoeTransformer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped {@code vit-moe-fashion-mnist} artifact, loaded exactly as the zoo loads it (Criteria
 * with the arguments of its card): re-measures the card's test accuracy and confusion matrix on the
 * real Fashion-MNIST test set, and checks concurrent prediction.
 */
class VisionArtifactTest {

    static final Path ARTIFACT =
            Paths.get(
                    "../zoo-weights/src/main/resources/io/moezoo/zoo/repository/model/cv/image_classification/io/moezoo/vit-moe-fashion-mnist/0.1.0");

    private static JsonObject card;
    private static ZooModel<Image, Classifications> model;
    private static FashionMnist test;

    @BeforeAll
    static void load() throws Exception {
        card =
                JsonParser.parseString(
                                Files.readString(
                                        ARTIFACT.resolve("card.json"), StandardCharsets.UTF_8))
                        .getAsJsonObject();
        Criteria.Builder<Image, Classifications> builder =
                Criteria.builder()
                        .setTypes(Image.class, Classifications.class)
                        .optModelPath(ARTIFACT)
                        .optEngine("PyTorch")
                        .optOption("hasParameter", "false");
        for (Map.Entry<String, JsonElement> e : card.getAsJsonObject("arguments").entrySet()) {
            builder.optArgument(e.getKey(), e.getValue().getAsString());
        }
        model = builder.build().loadModel();
        test = FashionMnist.load(FashionMnist.Split.TEST);
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    @Test
    void artifactFilesAreCompleteAndSmall() throws Exception {
        for (String f :
                List.of(
                        "model.json",
                        "model.safetensors",
                        "synset.txt",
                        "card.json",
                        "README.md")) {
            assertTrue(Files.isRegularFile(ARTIFACT.resolve(f)), f + " is missing");
        }
        assertTrue(Files.size(ARTIFACT.resolve("model.safetensors")) <= 8L << 20, "at most 8 MB");
        assertEquals(
                FashionMnist.CLASS_NAMES,
                Files.readAllLines(ARTIFACT.resolve("synset.txt"), StandardCharsets.UTF_8));
        VisionMoeSpec spec = VisionMoeBlockFactory.readSpec(ARTIFACT.resolve("model.json"));
        assertEquals(
                VisionMoeTraining.moeSpec().toJson(),
                spec.toJson(),
                "the artifact is the model the training command builds");
        assertEquals(spec.totalParameters(), card.get("totalParameters").getAsLong());
        assertEquals(spec.activatedParameters(), card.get("activatedParameters").getAsLong());
        assertEquals("vit-moe-fashion-mnist", card.get("artifactId").getAsString());
        assertEquals(
                VisionMoeTraining.recipe().toJsonObject().toString(),
                card.getAsJsonObject("recipe").toString(),
                "the card's recipe is the one the training command runs");
        // Every numeric metric can be re-measured within a stated tolerance; the validation
        // accuracy (measured during training, on held-out training images) is reported apart.
        for (String metric : card.getAsJsonObject("metrics").keySet()) {
            assertTrue(card.getAsJsonObject("tolerance").has(metric), metric + " has no tolerance");
        }
        double validation = card.getAsJsonObject("validation").get("accuracy").getAsDouble();
        assertTrue(validation > 0.5 && validation <= 1, "validation accuracy " + validation);
        assertTrue(
                card.getAsJsonObject("baseline").has("validation_accuracy"),
                "the dense baseline reports its validation accuracy too");
        assertTrue(
                card.getAsJsonObject("baseline").has("test_accuracy"),
                "the dense baseline reports its test accuracy");
        // The classical baseline: a same-size CNN trained with the same recipe and budget, a
        // recorded training result (CnnBaseline), shown in the README beside the model.
        JsonObject cnn = card.getAsJsonObject("baselines").getAsJsonObject(CnnBaseline.KEY);
        assertEquals(FashionCnn.PARAMETERS, cnn.get("totalParameters").getAsLong());
        assertEquals(VisionMoeTraining.recipe().epochs(), cnn.get("epochs").getAsInt());
        assertEquals(
                CnnBaseline.differences(VisionMoeTraining.recipe()),
                cnn.get("recipeDifferences").getAsString(),
                "the CNN was trained with the card's recipe");
        double cnnTest = cnn.get("test_accuracy").getAsDouble();
        assertTrue(cnnTest > 0.5 && cnnTest <= 1, "CNN test accuracy " + cnnTest);
        String readme = Files.readString(ARTIFACT.resolve("README.md"), StandardCharsets.UTF_8);
        assertTrue(readme.contains(CnnBaseline.readmeRow(cnn)), "README shows the CNN's row");
        assertTrue(readme.contains(CnnBaseline.readmeParagraph(cnn)), "and how it was trained");
        // The translator normalises exactly as the model was trained.
        JsonObject args = card.getAsJsonObject("arguments");
        assertEquals(spec.inputMean(), args.get("mean").getAsFloat());
        assertEquals(spec.inputStd(), args.get("std").getAsFloat());
        assertEquals(spec.imageSize(), args.get("width").getAsInt());
        VisionMoeTransformer block = assertInstanceOf(VisionMoeTransformer.class, model.getBlock());
        assertEquals(List.of(1), block.getSpec().moeLayers());
        assertEquals(List.of(32, 64, 128), block.getSpec().stemChannels());
    }

    /** The card's metrics, re-measured on the 10,000 official test images (batched). */
    @Test
    void testAccuracyMatchesTheCard() throws Exception {
        FashionMnistEvaluator.Evaluation eval = FashionMnistEvaluator.evaluate(model, test, 250);
        double claimed = card.getAsJsonObject("metrics").get("test_accuracy").getAsDouble();
        double tolerance = card.getAsJsonObject("tolerance").get("test_accuracy").getAsDouble();
        assertEquals(claimed, eval.accuracy(), tolerance, "test accuracy vs card.json");
        JsonArray rows = card.getAsJsonArray("confusion_matrix");
        int total = 0;
        int diagonal = 0;
        long differences = 0;
        for (int r = 0; r < 10; r++) {
            int rowSum = 0;
            for (int c = 0; c < 10; c++) {
                int v = eval.confusion()[r][c];
                rowSum += v;
                total += v;
                differences += Math.abs(v - rows.get(r).getAsJsonArray().get(c).getAsInt());
                if (r == c) {
                    diagonal += v;
                }
            }
            assertEquals(1000, rowSum, "1,000 test images of class " + r);
        }
        assertEquals(10_000, total);
        assertEquals(eval.accuracy(), diagonal / 10_000.0, 1e-12, "accuracy = trace / N");
        assertTrue(
                differences <= 2 * tolerance * 10_000,
                "confusion matrix differs from the card in " + differences + " cells' counts");
    }

    /** The translator's pixels equal the hand-normalised training input: same logits. */
    @Test
    void translatorNormalisesLikeTraining() throws Exception {
        VisionMoeTransformer block = (VisionMoeTransformer) model.getBlock();
        VisionMoeSpec spec = block.getSpec();
        try (Predictor<Image, Classifications> predictor = model.newPredictor();
                NDManager m = NDManager.newBaseManager()) {
            for (int i = 0; i < 5; i++) {
                byte[] pixels = test.pixels(i);
                float[] x = new float[784];
                for (int p = 0; p < 784; p++) {
                    x[p] = ((pixels[p] & 0xFF) / 255f - spec.inputMean()) / spec.inputStd();
                }
                NDArray logits =
                        block.forward(
                                        new ParameterStore(m, false),
                                        new NDList(m.create(x, new Shape(1, 1, 28, 28))),
                                        false)
                                .head();
                float[] expected = logits.softmax(1).toFloatArray();
                Classifications got = predictor.predict(test.image(i));
                for (int c = 0; c < 10; c++) {
                    double p =
                            got.get(FashionMnist.CLASS_NAMES.get(c)) == null
                                    ? -1
                                    : got.get(FashionMnist.CLASS_NAMES.get(c)).getProbability();
                    assertEquals(expected[c], p, 1e-5, "image " + i + " class " + c);
                }
                assertEquals(5, got.topK().size(), "top-5 by default");
                // Routing of this single-image pass is reachable for heatmaps.
                List<PatchRouting> routing = block.getLastRouting();
                assertEquals(1, routing.size());
                assertEquals(1, routing.get(0).numImages());
            }
        }
    }

    /** Several threads with their own predictors get exactly the sequential results. */
    @Test
    void concurrentPredictionMatchesSequential() throws Exception {
        int n = 32;
        List<Image> images = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            images.add(test.image(100 + i));
        }
        List<Classifications> sequential;
        try (Predictor<Image, Classifications> predictor = model.newPredictor()) {
            sequential = new ArrayList<>();
            for (Image image : images) {
                sequential.add(predictor.predict(image));
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            List<Future<List<Classifications>>> futures = new ArrayList<>();
            for (int t = 0; t < 3; t++) {
                futures.add(
                        pool.submit(
                                () -> {
                                    List<Classifications> out = new ArrayList<>();
                                    try (Predictor<Image, Classifications> p =
                                            model.newPredictor()) {
                                        for (Image image : images) {
                                            out.add(p.predict(image));
                                        }
                                    }
                                    return out;
                                }));
            }
            for (Future<List<Classifications>> f : futures) {
                List<Classifications> got = f.get();
                for (int i = 0; i < n; i++) {
                    assertEquals(
                            sequential.get(i).best().getClassName(),
                            got.get(i).best().getClassName());
                    assertEquals(
                            sequential.get(i).best().getProbability(),
                            got.get(i).best().getProbability(),
                            1e-6);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
