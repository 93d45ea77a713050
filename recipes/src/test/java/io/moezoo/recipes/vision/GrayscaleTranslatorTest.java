package io.moezoo.recipes.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.moezoo.models.vision.VisionMoeBlockFactory;
import io.moezoo.models.vision.VisionMoeSpec;
import io.moezoo.translators.vision.GrayscaleImageClassificationTranslatorFactory;
import io.moezoo.translators.vision.InvalidImageException;
import java.awt.image.BufferedImage;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The grayscale image translator's input policy, through the shipped artifact. */
class GrayscaleTranslatorTest {

    private static FashionMnist test;
    private static ZooModel<Image, Classifications> model;

    @BeforeAll
    static void load() throws Exception {
        test = FashionMnist.load(FashionMnist.Split.TEST);
        model = FashionMnistEvaluator.load(VisionArtifactTest.ARTIFACT);
    }

    @AfterAll
    static void close() {
        if (model != null) {
            model.close();
        }
    }

    private static Image rgb(int width, int height, int rgbValue) {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, rgbValue);
            }
        }
        return ImageFactory.getInstance().fromImage(img);
    }

    /** Test image i drawn into an RGB image with equal channels (how PNG readers often load it). */
    private static Image grayAsRgb(int i) {
        byte[] p = test.pixels(i);
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
        for (int k = 0; k < 784; k++) {
            int g = p[k] & 0xFF;
            img.setRGB(k % 28, k / 28, (g << 16) | (g << 8) | g);
        }
        return ImageFactory.getInstance().fromImage(img);
    }

    @Test
    void rejectsWrongSizesWithTypedErrors() throws Exception {
        try (Predictor<Image, Classifications> predictor = model.newPredictor()) {
            for (int[] size : new int[][] {{27, 28}, {28, 29}, {56, 56}, {1, 1}}) {
                InvalidImageException e =
                        assertThrows(
                                InvalidImageException.class,
                                () -> predictor.predict(rgb(size[0], size[1], 0)));
                assertTrue(
                        e.getMessage().contains(size[0] + "x" + size[1])
                                && e.getMessage().contains("28x28"),
                        e.getMessage());
            }
            // The predictor still works after rejecting inputs.
            assertEquals(
                    FashionMnist.CLASS_NAMES.size(),
                    predictor.predict(test.image(0)).getClassNames().size());
        }
    }

    @Test
    void rejectsColourImagesByDefault() throws Exception {
        try (Predictor<Image, Classifications> predictor = model.newPredictor()) {
            BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_INT_RGB);
            img.setRGB(3, 5, 0xFF0000);
            InvalidImageException e =
                    assertThrows(
                            InvalidImageException.class,
                            () -> predictor.predict(ImageFactory.getInstance().fromImage(img)));
            assertTrue(e.getMessage().contains("not grayscale"), e.getMessage());
            assertTrue(e.getMessage().contains("x=3, y=5"), e.getMessage());
            InvalidImageException nullImage =
                    assertThrows(InvalidImageException.class, () -> predictor.predict(null));
            assertTrue(nullImage.getMessage().contains("null"));
        }
    }

    @Test
    void grayPixelsInAnRgbImageGiveTheSameResult() throws Exception {
        try (Predictor<Image, Classifications> predictor = model.newPredictor()) {
            for (int i = 0; i < 3; i++) {
                Classifications gray = predictor.predict(test.image(i));
                Classifications rgb = predictor.predict(grayAsRgb(i));
                assertEquals(gray.best().getClassName(), rgb.best().getClassName());
                assertEquals(gray.best().getProbability(), rgb.best().getProbability(), 1e-7);
            }
        }
    }

    @Test
    void luminancePolicyConvertsColourImages() throws Exception {
        Criteria.Builder<Image, Classifications> builder =
                Criteria.builder()
                        .setTypes(Image.class, Classifications.class)
                        .optModelPath(VisionArtifactTest.ARTIFACT)
                        .optEngine("PyTorch")
                        .optOption("hasParameter", "false")
                        .optArgument("blockFactory", VisionMoeBlockFactory.class.getName())
                        .optArgument(
                                "translatorFactory",
                                GrayscaleImageClassificationTranslatorFactory.class.getName());
        VisionMoeSpec spec = VisionMoeTraining.moeSpec();
        FashionMnistEvaluator.translatorArguments(spec).forEach(builder::optArgument);
        builder.optArgument("colorImages", "luminance");
        try (ZooModel<Image, Classifications> lum = builder.build().loadModel();
                Predictor<Image, Classifications> predictor = lum.newPredictor();
                Predictor<Image, Classifications> reference = model.newPredictor()) {
            // Pure red (255, 0, 0) has luminance round(0.299 * 255) = 76.
            Classifications red = predictor.predict(rgb(28, 28, 0xFF0000));
            Classifications gray76 = reference.predict(rgb(28, 28, 0x4C4C4C));
            assertEquals(red.best().getClassName(), gray76.best().getClassName());
            assertEquals(red.best().getProbability(), gray76.best().getProbability(), 1e-7);
        }
    }

    @Test
    void missingOrBadArgumentsFailClearly() {
        for (Map.Entry<String, String> bad :
                Map.of("mean", "", "std", "-1", "colorImages", "sepia", "width", "wide")
                        .entrySet()) {
            Criteria.Builder<Image, Classifications> builder =
                    Criteria.builder()
                            .setTypes(Image.class, Classifications.class)
                            .optModelPath(VisionArtifactTest.ARTIFACT)
                            .optEngine("PyTorch")
                            .optOption("hasParameter", "false")
                            .optArgument("blockFactory", VisionMoeBlockFactory.class.getName())
                            .optArgument(
                                    "translatorFactory",
                                    GrayscaleImageClassificationTranslatorFactory.class.getName());
            FashionMnistEvaluator.translatorArguments(VisionMoeTraining.moeSpec())
                    .forEach(
                            (k, v) -> {
                                if (!k.equals(bad.getKey())) {
                                    builder.optArgument(k, v);
                                }
                            });
            if (!bad.getValue().isEmpty()) {
                builder.optArgument(bad.getKey(), bad.getValue());
            }
            Exception e = assertThrows(Exception.class, () -> builder.build().loadModel().close());
            String message = messages(e);
            assertTrue(message.contains(bad.getKey()), bad + " -> " + message);
        }
    }

    private static String messages(Throwable t) {
        StringBuilder s = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            s.append(c.getMessage()).append(" | ");
        }
        return s.toString();
    }
}
