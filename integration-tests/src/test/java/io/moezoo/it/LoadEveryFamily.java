package io.moezoo.it;

import ai.djl.Application;
import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelLoader;
import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.timeseries.Forecast;
import ai.djl.timeseries.TimeSeriesData;
import ai.djl.timeseries.dataset.FieldName;
import io.moezoo.translators.reward.PreferencePair;
import io.moezoo.translators.reward.PreferenceProbability;
import io.moezoo.translators.text.GeneratedText;
import java.nio.file.Paths;

/**
 * Loads every model the {@code io.moezoo} zoo lists through a {@link Criteria}, from whichever
 * repository the JVM is pointed at, predicts once with each and prints one line per model:
 * {@code artifactId<TAB>result}. Run in its own JVM by {@link ZooLoadingTest}.
 */
public final class LoadEveryFamily {

    private LoadEveryFamily() {}

    public static void main(String[] args) throws Exception {
        ModelZoo zoo = ModelZoo.getModelZoo("io.moezoo");
        if (zoo == null) {
            throw new IllegalStateException("no io.moezoo zoo on the class path");
        }
        for (ModelLoader loader : zoo.getModelLoaders()) {
            String id = loader.getArtifactId();
            Application app = loader.getApplication();
            String result;
            if (app.equals(Application.NLP.TEXT_GENERATION)) {
                result = generate(id);
            } else if (app.equals(Application.CV.IMAGE_CLASSIFICATION)) {
                result = classify(id);
            } else if (app.equals(Application.TimeSeries.FORECASTING)) {
                result = forecast(id);
            } else if (app.equals(Application.NLP.TEXT_CLASSIFICATION)) {
                result = prefer(id);
            } else {
                throw new IllegalStateException(id + ": unexpected application " + app);
            }
            System.out.println(id + "\t" + result);
        }
    }

    private static String generate(String id) throws Exception {
        Criteria<String, GeneratedText> c =
                Criteria.builder()
                        .setTypes(String.class, GeneratedText.class)
                        .optGroupId("io.moezoo")
                        .optArtifactId(id)
                        .optArgument("maxNewTokens", 8)
                        .build();
        try (ZooModel<String, GeneratedText> m = c.loadModel();
                Predictor<String, GeneratedText> p = m.newPredictor()) {
            return p.predict("The jury said").text().replace('\n', ' ');
        }
    }

    private static String classify(String id) throws Exception {
        Criteria<Image, Classifications> c =
                Criteria.builder()
                        .setTypes(Image.class, Classifications.class)
                        .optGroupId("io.moezoo")
                        .optArtifactId(id)
                        .build();
        Image image = ImageFactory.getInstance().fromFile(Paths.get("boot.png"));
        try (ZooModel<Image, Classifications> m = c.loadModel();
                Predictor<Image, Classifications> p = m.newPredictor()) {
            return p.predict(image).best().getClassName();
        }
    }

    private static String forecast(String id) throws Exception {
        Criteria<TimeSeriesData, Forecast> c =
                Criteria.builder()
                        .setTypes(TimeSeriesData.class, Forecast.class)
                        .optGroupId("io.moezoo")
                        .optArtifactId(id)
                        .optArgument("prediction_length", 6)
                        .build();
        float[] history = new float[48];
        for (int t = 0; t < history.length; t++) {
            history[t] = 100 + t + 10 * (float) Math.sin(2 * Math.PI * t / 12);
        }
        try (ZooModel<TimeSeriesData, Forecast> m = c.loadModel();
                Predictor<TimeSeriesData, Forecast> p = m.newPredictor();
                NDManager manager = NDManager.newBaseManager()) {
            TimeSeriesData input = new TimeSeriesData(1);
            input.add(FieldName.TARGET, manager.create(history));
            float[] mean = p.predict(input).mean().toFloatArray();
            return mean.length + " values, first " + mean[0];
        }
    }

    private static String prefer(String id) throws Exception {
        Criteria<PreferencePair, PreferenceProbability> c =
                Criteria.builder()
                        .setTypes(PreferencePair.class, PreferenceProbability.class)
                        .optGroupId("io.moezoo")
                        .optArtifactId(id)
                        .build();
        try (ZooModel<PreferencePair, PreferenceProbability> m = c.loadModel();
                Predictor<PreferencePair, PreferenceProbability> p = m.newPredictor()) {
            return String.valueOf(
                    p.predict(
                                    new PreferencePair(
                                            "The committee met and",
                                            " approved the budget.",
                                            " budget approved the."))
                            .probability());
        }
    }
}
