package io.moezoo.engine.gguf;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.moezoo.hf.HfCheckpointLoader;
import io.moezoo.hf.HfConfigMapper;
import io.moezoo.models.language.DecoderSpec;
import io.moezoo.models.language.MoeCausalLm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Reference next tokens from the project's own decoder (DJL PyTorch, parity-tested against the
 * Hugging Face forward passes within 1e-4), for checkpoints that have no committed expected logits:
 * a fixture's config edited, with the fixture's weights or random ones.
 */
final class EngineReference {

    private EngineReference() {}

    /** Copies a fixture's config (edited) and its weights, or random weights for the new config. */
    static Path variant(Path fixture, Path dir, boolean randomWeights, Consumer<JsonObject> edit)
            throws Exception {
        Files.createDirectories(dir);
        JsonObject config =
                JsonParser.parseString(Files.readString(fixture.resolve("config.json")))
                        .getAsJsonObject();
        edit.accept(config);
        Files.writeString(dir.resolve("config.json"), config.toString());
        if (!randomWeights) {
            Files.copy(fixture.resolve("model.safetensors"), dir.resolve("model.safetensors"));
            return dir;
        }
        DecoderSpec spec = HfConfigMapper.read(dir.resolve("config.json"));
        GgufArchitecture arch = GgufArchitectures.byModelType(spec.modelType(), "test");
        List<String> keys = new ArrayList<>();
        List<long[]> shapes = new ArrayList<>();
        for (GgufTensorPlan.Entry e : GgufTensorPlan.of(spec, arch).entries()) {
            if (e.importable()) {
                for (String key : e.keys()) {
                    keys.add(key);
                    shapes.add(e.keyShape());
                }
            }
        }
        GgufTestFiles.writeSafetensors(
                dir.resolve("model.safetensors"), keys, shapes, "F32", new Random(11));
        return dir;
    }

    /** The argmax of the decoder's logits at every position of ids. */
    static int[] argmax(Path checkpoint, int[] ids) throws Exception {
        long[] input = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            input[i] = ids[i];
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            MoeCausalLm model = HfCheckpointLoader.load(checkpoint, manager);
            NDArray logits =
                    model.logits(
                            new ParameterStore(manager, false),
                            manager.create(input, new Shape(1, ids.length)),
                            null,
                            false,
                            null);
            long[] best = logits.argMax(-1).toLongArray();
            int[] out = new int[ids.length];
            for (int i = 0; i < ids.length; i++) {
                out[i] = (int) best[i];
            }
            return out;
        }
    }
}
