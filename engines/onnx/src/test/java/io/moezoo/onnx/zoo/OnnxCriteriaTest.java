package io.moezoo.onnx.zoo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.modality.cv.ImageFactory;
import ai.djl.ndarray.NDManager;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.timeseries.Forecast;
import ai.djl.timeseries.TimeSeriesData;
import ai.djl.timeseries.dataset.FieldName;
import io.moezoo.blocks.attention.AttentionSpec;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.blocks.spec.RouterPresets;
import io.moezoo.blocks.spec.SwiGluExpertSpec;
import io.moezoo.formats.ParameterFile;
import io.moezoo.formats.TensorDType;
import io.moezoo.models.language.DecoderSpec;
import io.moezoo.models.language.MoeCausalLm;
import io.moezoo.models.reward.LanguageModelFeatures;
import io.moezoo.models.reward.LmDoubleLayerRewardModel;
import io.moezoo.models.reward.LmRewardSpec;
import io.moezoo.models.reward.RewardBlockFactory;
import io.moezoo.onnx.LayerFixture;
import io.moezoo.onnx.moe.DispatchMode;
import io.moezoo.translators.reward.PreferencePair;
import io.moezoo.translators.reward.PreferenceProbability;
import io.moezoo.translators.reward.RewardTranslatorFactory;
import io.moezoo.translators.text.GeneratedText;
import io.moezoo.zoo.repository.ArtifactCode;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxCriteriaTest {

    @TempDir Path dir;

    private static <I, O> Criteria<I, O> pytorch(String id, Class<I> in, Class<O> out) {
        return Criteria.builder()
                .setTypes(in, out)
                .optGroupId("io.moezoo")
                .optArtifactId(id)
                .optEngine("PyTorch")
                .build();
    }

    @Test
    void visionLoadsThroughOnnxRuntimeWithTheZooTranslator() throws Exception {
        String id = "vit-moe-fashion-mnist";
        Path out = dir.resolve(id);
        ZooExport.exportArtifact(id, out, DispatchMode.SPARSE);
        assertTrue(Files.isRegularFile(out.resolve(ZooExport.MODEL_FILE)));
        try (ZooModel<Image, Classifications> pt =
                        pytorch(id, Image.class, Classifications.class).loadModel();
                ZooModel<Image, Classifications> ort =
                        OnnxCriteria.builder(id, Image.class, Classifications.class, out)
                                .build()
                                .loadModel();
                Predictor<Image, Classifications> a = pt.newPredictor();
                Predictor<Image, Classifications> b = ort.newPredictor()) {
            assertEquals("OnnxRuntime", ort.getNDManager().getEngine().getEngineName());
            for (int seed = 0; seed < 6; seed++) {
                Image image = image(seed);
                Classifications x = a.predict(image);
                Classifications y = b.predict(image);
                assertEquals(x.best().getClassName(), y.best().getClassName());
                for (Classifications.Classification c : x.items()) {
                    double diff =
                            Math.abs(c.getProbability() - y.get(c.getClassName()).getProbability());
                    assertTrue(diff < 1e-4, c.getClassName() + ": " + diff);
                }
            }
        }
    }

    @Test
    void onDemandExportIsCachedInTheDjlCache() throws Exception {
        String id = "vit-moe-fashion-mnist";
        Path first = OnnxCache.ensure(id, DispatchMode.SPARSE);
        long written = Files.getLastModifiedTime(first.resolve(ZooExport.MODEL_FILE)).toMillis();
        Path second = OnnxCache.ensure(id, DispatchMode.SPARSE);
        assertEquals(first, second);
        assertEquals(
                written,
                Files.getLastModifiedTime(second.resolve(ZooExport.MODEL_FILE)).toMillis());
        try (ZooModel<Image, Classifications> ort =
                        OnnxCriteria.builder(id, Image.class, Classifications.class)
                                .build()
                                .loadModel();
                Predictor<Image, Classifications> p = ort.newPredictor()) {
            assertEquals(10, p.predict(image(1)).items().size());
        }
    }

    @Test
    void timeSeriesLoadsThroughOnnxRuntimeWithTheZooTranslator() throws Exception {
        String id = "time-moe-vega";
        Path out = dir.resolve(id);
        ZooExport.exportArtifact(id, out, DispatchMode.SPARSE);
        float[] history = new float[60];
        for (int t = 0; t < history.length; t++) {
            history[t] = 100 + t + 10 * (float) Math.sin(2 * Math.PI * t / 12);
        }
        try (ZooModel<TimeSeriesData, Forecast> pt =
                        pytorch(id, TimeSeriesData.class, Forecast.class).loadModel();
                ZooModel<TimeSeriesData, Forecast> ort =
                        OnnxCriteria.builder(id, TimeSeriesData.class, Forecast.class, out)
                                .build()
                                .loadModel();
                Predictor<TimeSeriesData, Forecast> a = pt.newPredictor();
                Predictor<TimeSeriesData, Forecast> b = ort.newPredictor();
                NDManager manager = NDManager.newBaseManager("PyTorch")) {
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

    @Test
    void languageGreedyTextIsIdentical() throws Exception {
        String id = "brown-moe";
        Path out = dir.resolve(id);
        ZooExport.exportArtifact(id, out, DispatchMode.SPARSE);
        Criteria<String, GeneratedText> ptCriteria =
                Criteria.builder()
                        .setTypes(String.class, GeneratedText.class)
                        .optGroupId("io.moezoo")
                        .optArtifactId(id)
                        .optEngine("PyTorch")
                        .optArgument("maxNewTokens", 12)
                        .build();
        Criteria<String, GeneratedText> ortCriteria =
                OnnxCriteria.builder(id, String.class, GeneratedText.class, out)
                        .optArgument("maxNewTokens", 12)
                        .build();
        try (ZooModel<String, GeneratedText> pt = ptCriteria.loadModel();
                ZooModel<String, GeneratedText> ort = ortCriteria.loadModel();
                Predictor<String, GeneratedText> a = pt.newPredictor();
                Predictor<String, GeneratedText> b = ort.newPredictor()) {
            for (String prompt : List.of("The jury said", "In the morning the")) {
                assertEquals(a.predict(prompt).text(), b.predict(prompt).text(), prompt);
            }
        }
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"dmoerm-brown", "armorm-brown"})
    void rewardPreferenceIsTheSame(String id) throws Exception {
        Path out = dir.resolve(id);
        ZooExport.exportArtifact(id, out, DispatchMode.SPARSE);
        try (ZooModel<PreferencePair, PreferenceProbability> pt =
                        pytorch(id, PreferencePair.class, PreferenceProbability.class).loadModel();
                ZooModel<PreferencePair, PreferenceProbability> ort =
                        OnnxCriteria.builder(
                                        id, PreferencePair.class, PreferenceProbability.class, out)
                                .build()
                                .loadModel();
                Predictor<PreferencePair, PreferenceProbability> a = pt.newPredictor();
                Predictor<PreferencePair, PreferenceProbability> b = ort.newPredictor()) {
            PreferencePair pair =
                    new PreferencePair(
                            "Describe the jury's decision.",
                            "The jury said the election was conducted fairly.",
                            "jury jury the the said.");
            float x = a.predict(pair).probability();
            float y = b.predict(pair).probability();
            assertTrue(Math.abs(x - y) < 1e-4, x + " vs " + y);
        }
    }

    @Test
    void argumentsNamingCodeAreRefusedAndUnknownBlocksNamed() throws Exception {
        Path out = dir.resolve("hostile");
        Files.createDirectories(out);
        Files.writeString(
                out.resolve(ZooExport.ARGUMENTS_FILE),
                "{\"translatorFactory\": \"com.example.Evil\"}");
        java.io.IOException e =
                org.junit.jupiter.api.Assertions.assertThrows(
                        java.io.IOException.class,
                        () ->
                                OnnxCriteria.builder(
                                        "vit-moe-fashion-mnist",
                                        Image.class,
                                        Classifications.class,
                                        out));
        assertTrue(e.getMessage().contains("translatorFactory"), e.getMessage());
        io.moezoo.onnx.UnsupportedExportException u =
                org.junit.jupiter.api.Assertions.assertThrows(
                        io.moezoo.onnx.UnsupportedExportException.class,
                        () ->
                                ZooExport.exportBlock(
                                        ai.djl.nn.core.Linear.builder().setUnits(2).build(),
                                        DispatchMode.SPARSE));
        assertTrue(u.getForm().contains("Linear"), u.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(
                IllegalArgumentException.class,
                () ->
                        OnnxCriteria.builder(
                                "no-such-model", Image.class, Classifications.class, out));
    }

    /**
     * A DMoERM over a language model as a local artifact directory laid out as {@code dmoerm-brown}
     * 0.2.0 (random weights, brown-moe's tokenizer): {@code ZooExport} writes the graph, copies
     * what the token translator reads ({@code tokenizer.json}, and {@code model.json}, {@code
     * base.json}) and passes its arguments through; ONNX Runtime then gives the PyTorch block's
     * preference probabilities.
     */
    @Test
    void lmRewardArtifactDirectoryExportsWithItsTokenizerAndArguments() throws Exception {
        Path tokenizer;
        int vocab;
        try (ZooModel<ai.djl.ndarray.NDList, ai.djl.ndarray.NDList> brown =
                Criteria.builder()
                        .setTypes(ai.djl.ndarray.NDList.class, ai.djl.ndarray.NDList.class)
                        .optGroupId("io.moezoo")
                        .optArtifactId("brown-moe")
                        .optEngine("PyTorch")
                        .optTranslator(new ai.djl.translate.NoopTranslator())
                        .build()
                        .loadModel()) {
            tokenizer = dir.resolve("tokenizer.json");
            Files.copy(brown.getModelPath().resolve("tokenizer.json"), tokenizer);
            vocab = ((MoeCausalLm) brown.getBlock()).getSpec().vocabSize();
        }
        int h = 16;
        AttentionSpec attention =
                new AttentionSpec(
                        h, 4, 2, 4, true, AttentionSpec.QkNorm.NONE, 10000, 1.0, 0, 1e-5f, 0, 0);
        MoeLayerSpec moe =
                MoeLayerSpec.of(RouterPresets.qwenMoe(4, 2, true), new SwiGluExpertSpec(4, h, 12));
        DecoderSpec base =
                new DecoderSpec(
                        "onnx-reward-zoo-test",
                        vocab,
                        h,
                        attention,
                        java.util.Arrays.asList(moe, null),
                        24,
                        1e-5f,
                        1e-5f,
                        true);
        LmRewardSpec spec =
                new LmRewardSpec(
                        LmRewardSpec.DMOERM_LM,
                        "brown-moe",
                        List.of("fluency", "relevance"),
                        List.of("press", "fiction"),
                        3,
                        4,
                        12,
                        16,
                        2,
                        2,
                        0);
        Path root = dir.resolve("dmoerm-brown");
        Path version = root.resolve("0.2.0");
        Files.createDirectories(version);
        Map<String, String> arguments = new TreeMap<>();
        arguments.put(ArtifactCode.BLOCK_FACTORY, RewardBlockFactory.class.getName());
        arguments.put(ArtifactCode.TRANSLATOR_FACTORY, RewardTranslatorFactory.class.getName());
        arguments.put("maxPromptTokens", "12");
        arguments.put("maxResponseTokens", "16");
        arguments.put("padToken", "0");
        arguments.put("objectives", "fluency,relevance");
        arguments.put("categories", "press,fiction");
        com.google.gson.JsonObject artifact = new com.google.gson.JsonObject();
        artifact.addProperty("version", "0.2.0");
        artifact.add("arguments", new com.google.gson.Gson().toJsonTree(arguments));
        com.google.gson.JsonObject metadata = new com.google.gson.JsonObject();
        metadata.addProperty("artifactId", "dmoerm-brown");
        com.google.gson.JsonArray artifacts = new com.google.gson.JsonArray();
        artifacts.add(artifact);
        metadata.add("artifacts", artifacts);
        Files.writeString(root.resolve("metadata.json"), metadata.toString());
        Files.writeString(version.resolve("model.json"), spec.toJson());
        Files.writeString(version.resolve(LmRewardSpec.BASE_FILE), base.toJson());
        Files.copy(tokenizer, version.resolve("tokenizer.json"));
        try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
            LmDoubleLayerRewardModel block =
                    LayerFixture.randomize(
                            new LmDoubleLayerRewardModel(spec, base),
                            manager,
                            5,
                            0.4f,
                            new ai.djl.ndarray.types.Shape(1, spec.sequenceLength()));
            float[] shift = new float[LanguageModelFeatures.COUNT];
            float[] scale = new float[LanguageModelFeatures.COUNT];
            for (int i = 0; i < shift.length; i++) {
                shift[i] = -3f + 0.5f * i;
                scale[i] = 1f + 0.1f * i;
            }
            block.setStandardization(shift, scale);
            ParameterFile.save(block, version.resolve("model.safetensors"), TensorDType.F32);

            Path out = dir.resolve("dmoerm-brown-onnx");
            ZooExport.exportDirectory(root, out, DispatchMode.SPARSE);
            for (String file :
                    List.of(ZooExport.MODEL_FILE, "tokenizer.json", "model.json", "base.json")) {
                assertTrue(Files.isRegularFile(out.resolve(file)), file);
            }
            assertTrue(!Files.exists(out.resolve("model.safetensors")));
            com.google.gson.JsonObject written =
                    com.google.gson.JsonParser.parseString(
                                    Files.readString(out.resolve(ZooExport.ARGUMENTS_FILE)))
                            .getAsJsonObject();
            for (String key :
                    List.of(
                            "maxPromptTokens",
                            "maxResponseTokens",
                            "padToken",
                            "objectives",
                            "categories")) {
                assertEquals(arguments.get(key), written.get(key).getAsString(), key);
            }
            assertTrue(!written.has(ArtifactCode.BLOCK_FACTORY));

            Criteria.Builder<PreferencePair, PreferenceProbability> pt =
                    Criteria.builder()
                            .setTypes(PreferencePair.class, PreferenceProbability.class)
                            .optModelPath(version)
                            .optModelName("model")
                            .optEngine("PyTorch")
                            .optBlock(block)
                            .optOption("hasParameter", "false")
                            .optTranslatorFactory(new RewardTranslatorFactory());
            for (String key : written.keySet()) {
                pt.optArgument(key, written.get(key).getAsString());
            }
            try (ZooModel<PreferencePair, PreferenceProbability> a = pt.build().loadModel();
                    ZooModel<PreferencePair, PreferenceProbability> b =
                            OnnxCriteria.builder(
                                            "dmoerm-brown",
                                            PreferencePair.class,
                                            PreferenceProbability.class,
                                            out)
                                    .build()
                                    .loadModel();
                    Predictor<PreferencePair, PreferenceProbability> x = a.newPredictor();
                    Predictor<PreferencePair, PreferenceProbability> y = b.newPredictor()) {
                assertEquals("OnnxRuntime", b.getNDManager().getEngine().getEngineName());
                for (PreferencePair pair :
                        List.of(
                                new PreferencePair(
                                        "Describe the jury's decision.",
                                        "The jury said the election was conducted fairly.",
                                        "jury jury the the said."),
                                new PreferencePair(
                                        "What happened in the morning?",
                                        "jury jury the the said.",
                                        "In the morning the committee met and voted."))) {
                    float p = x.predict(pair).probability();
                    float q = y.predict(pair).probability();
                    assertTrue(Math.abs(p - q) < 1e-4, p + " vs " + q);
                }
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
        java.util.Random rng = new java.util.Random(seed);
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
