package io.moezoo.translators.vision;

import ai.djl.Model;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorFactory;
import ai.djl.util.Pair;
import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Creates a {@link GrayscaleImageClassificationTranslator} ({@code Image -> Classifications}) from
 * a model's arguments and its synset file.
 *
 * <table>
 *   <caption>Arguments</caption>
 *   <tr><th>argument</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>{@code width}, {@code height}</td><td>the required image size</td><td>required</td></tr>
 *   <tr><td>{@code mean}, {@code std}</td><td>the training normalisation {@code (p/255 - mean) /
 *       std}</td><td>required</td></tr>
 *   <tr><td>{@code topK}</td><td>classes reported</td><td>5</td></tr>
 *   <tr><td>{@code synset}</td><td>file of class names in the model directory, one per line
 *       </td><td>{@code synset.txt}</td></tr>
 *   <tr><td>{@code colorImages}</td><td>{@code reject} or {@code luminance}</td><td>{@code
 *       reject}</td></tr>
 * </table>
 */
public final class GrayscaleImageClassificationTranslatorFactory implements TranslatorFactory {

    /** {@inheritDoc} */
    @Override
    public Set<Pair<Type, Type>> getSupportedTypes() {
        return Set.of(new Pair<>(Image.class, Classifications.class));
    }

    /**
     * Creates the translator.
     *
     * @param input must be {@link Image}
     * @param output must be {@link Classifications}
     * @param model the model, whose directory holds the synset file
     * @param arguments the arguments (see the class documentation)
     * @param <I> the input type
     * @param <O> the output type
     * @return the translator
     * @throws TranslateException if the types are not supported, an argument is missing or invalid,
     *     or the synset file cannot be read
     */
    @Override
    @SuppressWarnings("unchecked")
    public <I, O> Translator<I, O> newInstance(
            Class<I> input, Class<O> output, Model model, Map<String, ?> arguments)
            throws TranslateException {
        if (!isSupported(input, output)) {
            throw new IllegalArgumentException(
                    "Unsupported types "
                            + input
                            + " -> "
                            + output
                            + "; use Image -> Classifications");
        }
        try {
            String color = text(arguments, "colorImages", "reject");
            GrayscaleImageClassificationTranslator.ColorPolicy policy;
            try {
                policy =
                        GrayscaleImageClassificationTranslator.ColorPolicy.valueOf(
                                color.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TranslateException(
                        "Argument colorImages must be reject or luminance, got " + color, e);
            }
            return (Translator<I, O>)
                    GrayscaleImageClassificationTranslator.builder()
                            .setClasses(synset(model, text(arguments, "synset", "synset.txt")))
                            .setSize(
                                    (int) number(arguments, "width", Double.NaN),
                                    (int) number(arguments, "height", Double.NaN))
                            .setNormalization(
                                    (float) number(arguments, "mean", Double.NaN),
                                    (float) number(arguments, "std", Double.NaN))
                            .optTopK((int) number(arguments, "topK", 5))
                            .optColorPolicy(policy)
                            .build();
        } catch (IllegalArgumentException e) {
            throw new TranslateException(e.getMessage(), e);
        }
    }

    private static String text(Map<String, ?> arguments, String key, String fallback) {
        Object value = arguments.get(key);
        return value == null ? fallback : value.toString();
    }

    private static double number(Map<String, ?> arguments, String key, double fallback)
            throws TranslateException {
        Object value = arguments.get(key);
        if (value == null) {
            if (Double.isNaN(fallback)) {
                throw new TranslateException(
                        "Missing argument '" + key + "' for the grayscale image classifier");
            }
            return fallback;
        }
        try {
            double v = Double.parseDouble(value.toString());
            if (!Double.isFinite(v)) {
                throw new NumberFormatException("not finite");
            }
            return v;
        } catch (NumberFormatException e) {
            throw new TranslateException(
                    "Argument '" + key + "' must be a number, got '" + value + "'", e);
        }
    }

    private static List<String> synset(Model model, String name) throws TranslateException {
        Path dir = model.getModelPath();
        Path file = dir == null ? null : dir.resolve(name).normalize();
        if (file == null || !file.startsWith(dir.normalize()) || !Files.isRegularFile(file)) {
            throw new TranslateException(
                    "Synset file '" + name + "' not found in the model directory " + dir);
        }
        try {
            List<String> classes = new ArrayList<>();
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (!line.isBlank()) {
                    classes.add(line.strip());
                }
            }
            return classes;
        } catch (IOException e) {
            throw new TranslateException("Cannot read synset file " + file, e);
        }
    }
}
