package io.moezoo.onnx.zoo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.timeseries.Forecast;
import ai.djl.timeseries.TimeSeriesData;
import ai.djl.timeseries.dataset.FieldName;
import io.moezoo.translators.reward.PreferencePair;
import io.moezoo.translators.reward.PreferenceProbability;
import io.moezoo.translators.text.GeneratedText;
import io.moezoo.zoo.MoeModelZoo;
import io.moezoo.zoo.engine.ZooEngines;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The zoo's ordinary path with {@code optEngine("OnnxRuntime")}: plain {@code Criteria} by group
 * and artifact id, checked against the same artifact on PyTorch (loaded with no engine named, the
 * zoo's default).
 */
class ZooEngineProviderTest {

    private static <I, O> Criteria.Builder<I, O> zoo(String id, Class<I> in, Class<O> out) {
        return Criteria.builder()
                .setTypes(in, out)
                .optGroupId(MoeModelZoo.GROUP_ID)
                .optArtifactId(id);
    }

    private static <I, O> Criteria.Builder<I, O> onnx(String id, Class<I> in, Class<O> out) {
        return zoo(id, in, out).optEngine("OnnxRuntime");
    }

    @Test
    void theZooDeclaresOnnxRuntimeThroughThisModule() {
        assertInstanceOf(
                OnnxZooEngineProvider.class, ZooEngines.providers().get(ZooEngines.ONNX_RUNTIME));
        assertTrue(
                ModelZoo.getModelZoo(MoeModelZoo.GROUP_ID)
                        .getSupportedEngines()
                        .containsAll(List.of("PyTorch", "OnnxRuntime")));
    }

    @Test
    void visionMatchesPyTorchWithTheZooTranslator() throws Exception {
        String id = "vit-moe-fashion-mnist";
        try (ZooModel<Image, Classifications> pt =
                        zoo(id, Image.class, Classifications.class).build().loadModel();
                ZooModel<Image, Classifications> ort =
                        onnx(id, Image.class, Classifications.class).build().loadModel();
                Predictor<Image, Classifications> a = pt.newPredictor();
                Predictor<Image, Classifications> b = ort.newPredictor()) {
            assertEquals("PyTorch", pt.getNDManager().getEngine().getEngineName());
            assertEquals("OnnxRuntime", ort.getNDManager().getEngine().getEngineName());
            assertEquals(pt.getTranslator().getClass(), ort.getTranslator().getClass());
            for (int seed = 0; seed < 6; seed++) {
                Classifications x = a.predict(image(seed));
                Classifications y = b.predict(image(seed));
                assertEquals(x.best().getClassName(), y.best().getClassName(), "seed " + seed);
                for (Classifications.Classification c : x.items()) {
                    double diff =
                            Math.abs(c.getProbability() - y.get(c.getClassName()).getProbability());
                    assertTrue(diff < 1e-4, c.getClassName() + ": " + diff);
                }
            }
        }
    }

    @Test
    void timeSeriesForecastsMatchPyTorch() throws Exception {
        String id = "time-moe-vega";
        float[] history = new float[60];
        for (int t = 0; t < history.length; t++) {
            history[t] = 100 + t + 10 * (float) Math.sin(2 * Math.PI * t / 12);
        }
        try (ZooModel<TimeSeriesData, Forecast> pt =
                        zoo(id, TimeSeriesData.class, Forecast.class).build().loadModel();
                ZooModel<TimeSeriesData, Forecast> ort =
                        onnx(id, TimeSeriesData.class, Forecast.class).build().loadModel();
                Predictor<TimeSeriesData, Forecast> a = pt.newPredictor();
                Predictor<TimeSeriesData, Forecast> b = ort.newPredictor();
                NDManager manager = NDManager.newBaseManager("PyTorch")) {
            assertEquals("OnnxRuntime", ort.getNDManager().getEngine().getEngineName());
            assertEquals(pt.getTranslator().getClass(), ort.getTranslator().getClass());
            float[] x = a.predict(series(manager, history)).mean().toFloatArray();
            float[] y = b.predict(series(manager, history)).mean().toFloatArray();
            assertEquals(x.length, y.length);
            for (int i = 0; i < x.length; i++) {
                assertTrue(
                        Math.abs(x[i] - y[i]) <= 1e-4 * Math.max(1, Math.abs(x[i])),
                        i + ": " + x[i] + " vs " + y[i]);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dmoerm-brown", "armorm-brown"})
    void rewardPreferenceMatchesPyTorch(String id) throws Exception {
        try (ZooModel<PreferencePair, PreferenceProbability> pt =
                        zoo(id, PreferencePair.class, PreferenceProbability.class)
                                .build()
                                .loadModel();
                ZooModel<PreferencePair, PreferenceProbability> ort =
                        onnx(id, PreferencePair.class, PreferenceProbability.class)
                                .build()
                                .loadModel();
                Predictor<PreferencePair, PreferenceProbability> a = pt.newPredictor();
                Predictor<PreferencePair, PreferenceProbability> b = ort.newPredictor()) {
            assertEquals("OnnxRuntime", ort.getNDManager().getEngine().getEngineName());
            assertEquals(pt.getTranslator().getClass(), ort.getTranslator().getClass());
            List<PreferencePair> pairs =
                    List.of(
                            new PreferencePair(
                                    "Describe the jury's decision.",
                                    "The jury said the election was conducted fairly.",
                                    "jury jury the the said."),
                            new PreferencePair(
                                    "What happened in the morning?",
                                    "jury jury the the said.",
                                    "In the morning the committee met and voted."));
            for (PreferencePair pair : pairs) {
                float x = a.predict(pair).probability();
                float y = b.predict(pair).probability();
                assertTrue(Math.abs(x - y) < 1e-4, x + " vs " + y);
            }
        }
    }

    /**
     * Greedy decoding; no version or token id is assumed (the language artifacts are retrained).
     */
    @ParameterizedTest
    @ValueSource(strings = {"brown-moe", "brown-dense"})
    void languageGreedyTokensAreIdentical(String id) throws Exception {
        try (ZooModel<String, GeneratedText> pt =
                        zoo(id, String.class, GeneratedText.class)
                                .optArgument("maxNewTokens", 12)
                                .build()
                                .loadModel();
                ZooModel<String, GeneratedText> ort =
                        onnx(id, String.class, GeneratedText.class)
                                .optArgument("maxNewTokens", 12)
                                .build()
                                .loadModel();
                Predictor<String, GeneratedText> a = pt.newPredictor();
                Predictor<String, GeneratedText> b = ort.newPredictor()) {
            assertEquals("OnnxRuntime", ort.getNDManager().getEngine().getEngineName());
            for (String prompt : List.of("The jury said", "In the morning the")) {
                GeneratedText x = a.predict(prompt);
                GeneratedText y = b.predict(prompt);
                assertTrue(x.tokenIds().length > 0, prompt);
                assertArrayEquals(x.tokenIds(), y.tokenIds(), prompt);
                assertEquals(x.text(), y.text(), prompt);
            }
        }
    }

    private static TimeSeriesData series(NDManager manager, float[] history) {
        TimeSeriesData data = new TimeSeriesData(1);
        data.add(FieldName.TARGET, manager.create(history));
        return data;
    }

    private static Image image(int seed) {
        BufferedImage img = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
        Random rng = new Random(seed);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                int v = (x - 14) * (x - 14) + (y - 14) * (y - 14) < 40 + 10 * seed ? 200 : 0;
                v = Math.min(255, v + rng.nextInt(40));
                img.getRaster().setSample(x, y, 0, v);
            }
        }
        return ImageFactory.getInstance().fromImage(img);
    }
}
