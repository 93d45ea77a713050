package io.moezoo.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.moezoo.blocks.attention.KvCache;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.models.language.MoeCausalLm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Logits parity with reference outputs produced by {@code hf/src/test/python/make_fixtures.py}
 * (Debian python3-torch running a transcription of the Hugging Face forward passes).
 */
class HfParityTest {

    private static final Path FIXTURES = Paths.get("src", "test", "resources", "fixtures");

    private static JsonObject expected(Path dir) throws IOException {
        return JsonParser.parseString(Files.readString(dir.resolve("expected.json")))
                .getAsJsonObject();
    }

    private static long[] ids(JsonObject expected) {
        JsonArray a = expected.getAsJsonArray("input_ids");
        long[] ids = new long[a.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = a.get(i).getAsLong();
        }
        return ids;
    }

    private static void assertRow(
            JsonObject expected, int position, float[] actual, int offset, String what) {
        JsonArray row = expected.getAsJsonArray("logits").get(position).getAsJsonArray();
        for (int v = 0; v < row.size(); v++) {
            double e = row.get(v).getAsDouble();
            double a = actual[offset + v];
            assertTrue(
                    Math.abs(e - a) <= 1e-4,
                    what
                            + ": position "
                            + position
                            + " vocab "
                            + v
                            + " expected "
                            + e
                            + " got "
                            + a);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "mixtral",
                "mixtral_sharded",
                "mixtral_bf16",
                "mixtral_fused",
                "mixtral_swa",
                "qwen2_moe",
                "qwen2_moe_dense",
                "qwen3_moe",
                "olmoe",
                "jetmoe",
                "granitemoe",
                "glm4_moe",
                "deepseek_v2",
                "deepseek_v3",
                "deepseek_v3_fp8",
                "gpt_oss",
                "gpt_oss_bf16"
            })
    void prefillAndCachedDecodeMatchTheReference(String fixture) throws Exception {
        checkParity(fixture);
    }

    private static void checkParity(String fixture) throws Exception {
        Path dir = FIXTURES.resolve(fixture);
        JsonObject expected = expected(dir);
        long[] ids = ids(expected);
        int vocab = expected.getAsJsonArray("logits").get(0).getAsJsonArray().size();
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeCausalLm model = HfCheckpointLoader.load(dir, manager);
            ParameterStore ps = new ParameterStore(manager, false);
            try (NDManager scope = manager.newSubManager()) {
                NDArray logits =
                        model.logits(
                                ps, scope.create(ids, new Shape(1, ids.length)), null, false, null);
                assertEquals(new Shape(1, ids.length, vocab), logits.getShape());
                float[] all = logits.toFloatArray();
                for (int p = 0; p < ids.length; p++) {
                    assertRow(expected, p, all, p * vocab, fixture + " prefill");
                }
            }
            // Prompt of 3 tokens, then one token at a time through the KV cache.
            try (KvCache cache = new KvCache(manager, model.getSpec().numLayers())) {
                int prompt = 3;
                try (NDManager scope = manager.newSubManager()) {
                    long[] head = java.util.Arrays.copyOf(ids, prompt);
                    float[] out =
                            model.logits(
                                            ps,
                                            scope.create(head, new Shape(1, prompt)),
                                            cache,
                                            false,
                                            null)
                                    .toFloatArray();
                    for (int p = 0; p < prompt; p++) {
                        assertRow(expected, p, out, p * vocab, fixture + " cached prompt");
                    }
                }
                for (int p = prompt; p < ids.length; p++) {
                    try (NDManager scope = manager.newSubManager()) {
                        float[] out =
                                model.logits(
                                                ps,
                                                scope.create(new long[] {ids[p]}, new Shape(1, 1)),
                                                cache,
                                                false,
                                                null)
                                        .toFloatArray();
                        assertRow(expected, p, out, 0, fixture + " decode step");
                    }
                }
                assertEquals(ids.length, cache.length());
            }
        }
    }

    private static Path copyFixture(String name, String target) throws IOException {
        Path src = FIXTURES.resolve(name);
        Path dst = Paths.get("target", "broken-checkpoints", target);
        Files.createDirectories(dst);
        try (var files = Files.list(src)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, dst.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dst;
    }

    private static MalformedCheckpointException loadFails(Path dir) {
        try (NDManager manager = NDManager.newBaseManager()) {
            return assertThrows(
                    MalformedCheckpointException.class,
                    () -> HfCheckpointLoader.load(dir, manager));
        }
    }

    @Test
    void fp8QuantisationConfigIsValidated() throws Exception {
        Path gptq = copyFixture("deepseek_v3_fp8", "fp8-gptq");
        String config = Files.readString(gptq.resolve("config.json"));
        Files.writeString(gptq.resolve("config.json"), config.replace("\"fp8\"", "\"gptq\""));
        MalformedCheckpointException e = loadFails(gptq);
        assertTrue(
                e.getMessage().contains("field 'quantization_config.quant_method' is \"gptq\"")
                        && e.getMessage().contains("accepted: fp8"),
                e.getMessage());

        // The 128 x 128 default does not fit the fixture's scale tensors: a clear shape error.
        Path noBlock = copyFixture("deepseek_v3_fp8", "fp8-default-block");
        Files.writeString(
                noBlock.resolve("config.json"),
                config.replaceAll("\"weight_block_size\":\\s*\\[\\s*8,\\s*8\\s*\\]", "\"x\": 0"));
        e = loadFails(noBlock);
        assertTrue(
                e.getMessage().contains("_scale_inv' have shape")
                        && e.getMessage().contains("expected (1, 1)"),
                e.getMessage());
    }

    @Test
    void badCheckpointsFailBeforeAnyWeightIsLoaded() throws Exception {
        Path shape = copyFixture("mixtral", "shape-mismatch");
        Files.writeString(
                shape.resolve("config.json"),
                Files.readString(shape.resolve("config.json"))
                        .replace("\"intermediate_size\": 24", "\"intermediate_size\": 20"));
        MalformedCheckpointException e = loadFails(shape);
        assertTrue(
                e.getMessage().contains("does not match config.json")
                        && e.getMessage()
                                .contains(
                                        "w1.weight' has shape (24, 16) but config.json implies (20, 16)"),
                e.getMessage());

        Path unknown = copyFixture("mixtral", "unknown-type");
        Files.writeString(
                unknown.resolve("config.json"),
                Files.readString(unknown.resolve("config.json"))
                        .replace("\"mixtral\"", "\"phimoe\""));
        e = loadFails(unknown);
        assertTrue(
                e.getMessage()
                        .contains(
                                "model_type 'phimoe' is not supported; supported: mixtral, qwen2_moe, qwen3_moe, olmoe"),
                e.getMessage());

        Path missingField = copyFixture("olmoe", "missing-field");
        Files.writeString(
                missingField.resolve("config.json"),
                Files.readString(missingField.resolve("config.json"))
                        .replace("\"num_experts\"", "\"n_experts\""));
        e = loadFails(missingField);
        assertTrue(e.getMessage().contains("missing field 'num_experts'"), e.getMessage());

        Path brokenJson = copyFixture("olmoe", "broken-json");
        Files.writeString(brokenJson.resolve("config.json"), "{\"model_type\": \"olmoe\", ");
        assertTrue(loadFails(brokenJson).getMessage().contains("not valid JSON"));

        Path missingTensor = copyFixture("mixtral_sharded", "missing-tensor");
        JsonObject index =
                JsonParser.parseString(
                                Files.readString(
                                        missingTensor.resolve("model.safetensors.index.json")))
                        .getAsJsonObject();
        index.getAsJsonObject("weight_map").remove("model.norm.weight");
        Files.writeString(missingTensor.resolve("model.safetensors.index.json"), index.toString());
        e = loadFails(missingTensor);
        assertTrue(e.getMessage().contains("missing tensor 'model.norm.weight'"), e.getMessage());

        Path truncated = copyFixture("qwen2_moe", "truncated");
        byte[] bytes = Files.readAllBytes(truncated.resolve("model.safetensors"));
        Files.write(
                truncated.resolve("model.safetensors"),
                java.util.Arrays.copyOf(bytes, bytes.length / 2));
        e = loadFails(truncated);
        assertTrue(
                e.getMessage().contains("model.safetensors")
                        && e.getMessage().contains("outside the data section"),
                e.getMessage());

        try (NDManager manager = NDManager.newBaseManager()) {
            MoeCausalLm model = HfCheckpointLoader.load(FIXTURES.resolve("mixtral"), manager);
            IllegalArgumentException bad =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    model.logits(
                                            new ParameterStore(manager, false),
                                            manager.create(new long[] {1, 64}, new Shape(1, 2)),
                                            null,
                                            false,
                                            null));
            assertTrue(
                    bad.getMessage().contains("Token id 64 is outside the vocabulary"),
                    bad.getMessage());
        }
    }
}
