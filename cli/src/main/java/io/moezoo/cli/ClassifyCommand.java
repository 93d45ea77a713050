package io.moezoo.cli;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code moe-zoo classify IMAGE...}: classifies images with a zoo vision model; prints JSON. */
@Command(
        name = "classify",
        mixinStandardHelpOptions = true,
        description =
                "Classify image files (PNG, JPEG; 28x28 grayscale for the Fashion-MNIST model;"
                        + " at most 16 MiB and 4096 x 4096 pixels) with a zoo vision model; prints"
                        + " JSON with the top classes.")
final class ClassifyCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image files.")
    List<Path> images;

    @Option(
            names = "--model",
            defaultValue = "vit-moe-fashion-mnist",
            description = "Zoo model id (default ${DEFAULT-VALUE}).")
    String model;

    @Option(names = "--top", defaultValue = "3", description = "Classes to print (default 3).")
    int top;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        if (top <= 0) {
            throw new IllegalArgumentException("--top must be > 0, got " + top);
        }
        ZooCriteria.requireModel(model, "vision");
        for (Path image : images) {
            ImageFiles.check(image);
        }
        Criteria<Image, Classifications> criteria =
                ZooCriteria.of(model, Image.class, Classifications.class).build();
        JsonArray results = new JsonArray();
        try (ZooModel<Image, Classifications> zooModel = criteria.loadModel();
                Predictor<Image, Classifications> predictor = zooModel.newPredictor()) {
            for (Path file : images) {
                Image image = ImageFiles.read(file);
                Classifications c;
                try {
                    c = predictor.predict(image);
                } catch (ai.djl.translate.TranslateException e) {
                    throw new IllegalArgumentException(file + ": " + FailureMessage.of(e), e);
                }
                JsonObject r = new JsonObject();
                r.addProperty("image", file.toString());
                JsonArray classes = new JsonArray();
                for (Classifications.Classification item : c.topK(top)) {
                    JsonObject o = new JsonObject();
                    o.addProperty("class", item.getClassName());
                    o.addProperty("probability", item.getProbability());
                    classes.add(o);
                }
                r.add("top", classes);
                results.add(r);
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        out.println(new GsonBuilder().setPrettyPrinting().create().toJson(results));
        return 0;
    }
}
