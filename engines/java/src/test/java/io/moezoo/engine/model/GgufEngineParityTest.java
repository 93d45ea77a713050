package io.moezoo.engine.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moezoo.engine.Fixtures;
import io.moezoo.engine.gguf.GgufExport;
import io.moezoo.engine.gguf.GgufType;
import io.moezoo.engine.tensor.SafetensorsSource;
import io.moezoo.engine.tensor.TensorSource;
import io.moezoo.engine.tensor.TensorSources;
import io.moezoo.formats.BlockFormat;
import io.moezoo.hf.CheckpointQuantizer;
import io.moezoo.hf.ScaledFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Comparator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * GGUF export then import reproduces the logits: an exported fixture runs on the engine straight
 * from the .gguf file within 1e-4 of the reference (prefill and cached decode), and a Q8_0 / Q4_0
 * GGUF gives exactly the logits of the same quantization in safetensors (the same blocks, read in
 * place from either file).
 */
class GgufEngineParityTest {

    private static final Path ROOT = Paths.get("target", "gguf-engine");

    private static void clean(Path path) throws Exception {
        if (Files.exists(path)) {
            try (var paths = Files.walk(path)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "mixtral",
                "mixtral_sharded",
                "mixtral_fused",
                "qwen2_moe",
                "olmoe",
                "deepseek_v2",
                "deepseek_v3",
                "granitemoe",
                "glm4_moe",
                "gpt_oss",
                "gpt_oss_bf16"
            })
    void anExportedFixtureRunsFromTheGgufFile(String fixture) throws Exception {
        runsWithinTolerance(fixture, GgufType.F32);
    }

    /**
     * gpt-oss in BF16: lossless for both fixtures (their weights are bf16; the MXFP4 experts are
     * repacked, not converted).
     */
    @ParameterizedTest
    @ValueSource(strings = {"gpt_oss", "gpt_oss_bf16"})
    void gptOssInBf16RunsFromTheGgufFile(String fixture) throws Exception {
        runsWithinTolerance(fixture, GgufType.BF16);
    }

    private static void runsWithinTolerance(String fixture, GgufType type) throws Exception {
        Files.createDirectories(ROOT);
        Path file = ROOT.resolve(fixture + "." + type + ".gguf");
        clean(file);
        GgufExport.export(Fixtures.DIR.resolve(fixture), file, type);
        Fixtures expected = Fixtures.of(fixture);
        long[] ids = expected.ids();
        try (TensorSource source = TensorSources.open(file)) {
            CausalLm model = CausalLm.load(source);
            int vocab = model.spec().vocabSize();
            float[] all = model.forward(ids, model.newCache(), false);
            for (int p = 0; p < ids.length; p++) {
                double error = expected.maxError(p, all, p * vocab);
                assertTrue(error <= 1e-4, fixture + " prefill " + p + ": " + error);
            }
            KvCache cache = model.newCache();
            model.forward(Arrays.copyOf(ids, 3), cache, true);
            for (int p = 3; p < ids.length; p++) {
                float[] step = model.forward(new long[] {ids[p]}, cache, true);
                double error = expected.maxError(p, step, 0);
                assertTrue(error <= 1e-4, fixture + " decode " + p + ": " + error);
            }
        }
    }

    /**
     * gpt-oss with Q8_0 / Q4_0 attention, embeddings and lm_head and MXFP4 experts: the same blocks
     * as {@code moe-zoo quantize} writes to safetensors (experts kept MXFP4 there, repacked here),
     * so the logits agree up to the experts' summation order (ggml's nibble order against the
     * Hugging Face one).
     */
    @ParameterizedTest
    @ValueSource(strings = {"Q8_0", "Q4_0"})
    void aQuantizedGptOssGgufEqualsTheSameQuantizationInSafetensors(String format)
            throws Exception {
        Path base = ROOT.resolve("gpt-oss-" + format);
        clean(base);
        Path quantized = base.resolve("safetensors");
        CheckpointQuantizer.quantize(
                Fixtures.DIR.resolve("gpt_oss"), BlockFormat.valueOf(format), quantized);
        Path gguf = base.resolve("model.gguf");
        GgufExport.export(Fixtures.DIR.resolve("gpt_oss"), gguf, GgufType.valueOf(format));
        long[] ids = {3, 17, 42, 5, 9, 61, 2, 33};
        float[] fromSafetensors;
        try (SafetensorsSource source = SafetensorsSource.open(quantized)) {
            CausalLm model = CausalLm.load(source);
            fromSafetensors = model.forward(ids, model.newCache(), false);
        }
        try (TensorSource source = TensorSources.open(gguf)) {
            CausalLm model = CausalLm.load(source);
            float[] fromGguf = model.forward(ids, model.newCache(), false);
            assertEquals(fromSafetensors.length, fromGguf.length);
            assertArrayEquals(fromSafetensors, fromGguf, 1e-5f);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"Q8_0", "Q4_0"})
    void aQuantizedGgufEqualsTheSameQuantizationInSafetensors(String format) throws Exception {
        Path base = ROOT.resolve("mixtral-wide-" + format);
        clean(base);
        Path f32 = ScaledFixture.write(Fixtures.DIR, "mixtral", base.resolve("f32"), 5);
        Path quantized = base.resolve("safetensors");
        CheckpointQuantizer.quantize(f32, BlockFormat.valueOf(format), quantized);
        Path gguf = base.resolve("model.gguf");
        GgufExport.export(f32, gguf, GgufType.valueOf(format));
        long[] ids = {3, 17, 42, 5, 9, 61, 2, 33};
        float[] fromSafetensors;
        try (SafetensorsSource source = SafetensorsSource.open(quantized)) {
            CausalLm model = CausalLm.load(source);
            fromSafetensors = model.forward(ids, model.newCache(), false);
        }
        try (TensorSource source = TensorSources.open(gguf)) {
            CausalLm model = CausalLm.load(source);
            float[] fromGguf = model.forward(ids, model.newCache(), false);
            assertEquals(fromSafetensors.length, fromGguf.length);
            assertArrayEquals(fromSafetensors, fromGguf, 1e-5f);
        }
    }
}
