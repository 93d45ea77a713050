package io.moezoo.translators.vision;

import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import java.util.List;
import java.util.Locale;

/**
 * Classifies grayscale images of a fixed size with a model that takes normalised pixels {@code [B,
 * 1, H, W]} and returns logits {@code [B, classes]}.
 *
 * <p>Pre-processing is exactly the training normalisation: {@code x = (pixel / 255 - mean) / std}
 * on the 8-bit gray values. Post-processing applies a softmax and returns the top-k classes.
 *
 * <p>Input policy (checked before any tensor reaches the model; violations throw {@link
 * InvalidImageException}):
 *
 * <ul>
 *   <li>The image must be exactly {@code width × height}; it is never resized or cropped.
 *   <li>The image must be grayscale: the image is read as RGB and every pixel must have R = G = B
 *       (an 8-bit gray {@code BufferedImage} always does). A colour image is rejected by default;
 *       with {@link ColorPolicy#LUMINANCE} it is converted with DJL's rounding of \(0.299R + 0.587G
 *       + 0.114B\) instead. Alpha is ignored.
 * </ul>
 *
 * <p>The translator is stateless and may serve several predictors at once.
 */
public final class GrayscaleImageClassificationTranslator
        implements Translator<Image, Classifications> {

    private final List<String> classes;
    private final int width;
    private final int height;
    private final float mean;
    private final float std;
    private final int topK;
    private final ColorPolicy colorPolicy;

    /** What to do with an image whose pixels are not gray (R, G, B not all equal). */
    public enum ColorPolicy {
        /** Throw an {@link InvalidImageException} (the default). */
        REJECT,
        /** Convert to gray by luminance, {@code round(0.299R + 0.587G + 0.114B)}. */
        LUMINANCE
    }

    private GrayscaleImageClassificationTranslator(Builder b) {
        classes = b.classes;
        width = b.width;
        height = b.height;
        mean = b.mean;
        std = b.std;
        topK = b.topK;
        colorPolicy = b.colorPolicy;
    }

    /**
     * Returns a builder.
     *
     * @return a new builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Returns the class names, in logit order.
     *
     * @return the classes
     */
    public List<String> getClasses() {
        return classes;
    }

    /**
     * Converts an image to the normalised pixels {@code [1, height, width]}.
     *
     * @param ctx the translator context
     * @param input the image
     * @return the model input
     * @throws InvalidImageException if the image is null, has the wrong size, or is a colour image
     *     under {@link ColorPolicy#REJECT}
     */
    @Override
    public NDList processInput(TranslatorContext ctx, Image input) throws InvalidImageException {
        if (input == null) {
            throw new InvalidImageException("Image is null");
        }
        if (input.getWidth() != width || input.getHeight() != height) {
            throw new InvalidImageException(
                    String.format(
                            Locale.ROOT,
                            "Image is %dx%d but the model needs a %dx%d grayscale image (width x"
                                    + " height); resize it first, this translator does not resize",
                            input.getWidth(),
                            input.getHeight(),
                            width,
                            height));
        }
        NDArray rgb = input.toNDArray(ctx.getNDManager(), Image.Flag.COLOR);
        Shape shape = rgb.getShape();
        if (shape.dimension() != 3 || shape.get(0) != height || shape.get(1) != width) {
            throw new InvalidImageException(
                    "Image converted to an unexpected array shape "
                            + shape
                            + ", expected ("
                            + height
                            + ", "
                            + width
                            + ", 3)");
        }
        int[] values = rgb.toType(DataType.UINT8, false).toUint8Array();
        rgb.close();
        int channels = Math.toIntExact(shape.get(2));
        float[] pixels = new float[width * height];
        for (int i = 0; i < pixels.length; i++) {
            int gray;
            if (channels == 1) {
                gray = values[i];
            } else {
                int r = values[i * channels];
                int g = values[i * channels + 1];
                int b = values[i * channels + 2];
                if (r == g && g == b) {
                    gray = r;
                } else if (colorPolicy == ColorPolicy.LUMINANCE) {
                    gray = Math.round(0.299f * r + 0.587f * g + 0.114f * b);
                } else {
                    throw new InvalidImageException(
                            String.format(
                                    Locale.ROOT,
                                    "Image is not grayscale: pixel (x=%d, y=%d) has R,G,B ="
                                            + " %d,%d,%d; the model needs a 1-channel gray image"
                                            + " (convert it, or set argument colorImages=luminance)",
                                    i % width,
                                    i / width,
                                    r,
                                    g,
                                    b));
                }
            }
            pixels[i] = (gray / 255f - mean) / std;
        }
        return new NDList(ctx.getNDManager().create(pixels, new Shape(1, height, width)));
    }

    /**
     * Converts logits {@code [classes]} to class probabilities.
     *
     * @param ctx the translator context
     * @param list the model output for one image
     * @return the classifications, reporting the top k
     * @throws TranslateException if the number of logits differs from the number of classes
     */
    @Override
    public Classifications processOutput(TranslatorContext ctx, NDList list)
            throws TranslateException {
        NDArray logits = list.head();
        if (logits.getShape().size() != classes.size()) {
            throw new TranslateException(
                    "Model returned "
                            + logits.getShape().size()
                            + " logits "
                            + logits.getShape()
                            + " but the synset has "
                            + classes.size()
                            + " classes");
        }
        NDArray probabilities = logits.toType(DataType.FLOAT32, false).reshape(-1).softmax(0);
        return new Classifications(classes, probabilities, topK);
    }

    /** Builds a {@link GrayscaleImageClassificationTranslator}. */
    public static final class Builder {
        private List<String> classes;
        private int width;
        private int height;
        private float mean = Float.NaN;
        private float std = Float.NaN;
        private int topK = 5;
        private ColorPolicy colorPolicy = ColorPolicy.REJECT;

        Builder() {}

        /**
         * Sets the class names in logit order.
         *
         * @param names the class names
         * @return this builder
         */
        public Builder setClasses(List<String> names) {
            this.classes = names == null ? null : List.copyOf(names);
            return this;
        }

        /**
         * Sets the required image size.
         *
         * @param imageWidth the width in pixels
         * @param imageHeight the height in pixels
         * @return this builder
         */
        public Builder setSize(int imageWidth, int imageHeight) {
            this.width = imageWidth;
            this.height = imageHeight;
            return this;
        }

        /**
         * Sets the training normalisation {@code (pixel / 255 - mean) / std}.
         *
         * @param pixelMean the mean
         * @param pixelStd the standard deviation, &gt; 0
         * @return this builder
         */
        public Builder setNormalization(float pixelMean, float pixelStd) {
            this.mean = pixelMean;
            this.std = pixelStd;
            return this;
        }

        /**
         * Sets how many classes {@code Classifications} reports (default 5).
         *
         * @param k the number of top classes
         * @return this builder
         */
        public Builder optTopK(int k) {
            this.topK = k;
            return this;
        }

        /**
         * Sets what happens to colour images (default {@link ColorPolicy#REJECT}).
         *
         * @param policy the policy
         * @return this builder
         */
        public Builder optColorPolicy(ColorPolicy policy) {
            this.colorPolicy = policy;
            return this;
        }

        /**
         * Validates the settings and builds the translator.
         *
         * @return the translator
         * @throws IllegalArgumentException naming the first invalid setting
         */
        public GrayscaleImageClassificationTranslator build() {
            if (classes == null || classes.size() < 2) {
                throw new IllegalArgumentException(
                        "Grayscale classifier needs at least 2 class names, got " + classes);
            }
            if (width <= 0 || height <= 0) {
                throw new IllegalArgumentException(
                        "Grayscale classifier needs a positive image size, got "
                                + width
                                + "x"
                                + height);
            }
            if (!Float.isFinite(mean) || !(std > 0) || !Float.isFinite(std)) {
                throw new IllegalArgumentException(
                        "Grayscale classifier needs a finite mean and a std > 0, got mean="
                                + mean
                                + ", std="
                                + std);
            }
            if (topK < 1) {
                throw new IllegalArgumentException("topK must be >= 1, got " + topK);
            }
            if (colorPolicy == null) {
                throw new IllegalArgumentException("colour policy is required");
            }
            return new GrayscaleImageClassificationTranslator(this);
        }
    }
}
