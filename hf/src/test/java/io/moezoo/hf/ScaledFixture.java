package io.moezoo.hf;

import ai.djl.ndarray.types.Shape;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.moezoo.formats.SafetensorsFile;
import io.moezoo.formats.SafetensorsWriter;
import io.moezoo.formats.TensorDType;
import io.moezoo.formats.TensorInfo;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/**
 * A committed fixture with its sizes widened to multiples of 32 (the committed fixtures have rows
 * of 16 values, which no block format quantises) and random weights: every dimension of every
 * tensor is mapped through a table, the config's fields set to match. {@link
 * HfCheckpointLoader#inspect} then checks the result is consistent.
 */
public final class ScaledFixture {

    private ScaledFixture() {}

    static final Map<String, Map<Long, Long>> DIMS =
            Map.of(
                    "mixtral", Map.of(16L, 64L, 24L, 32L, 8L, 32L),
                    "mixtral_fused", Map.of(16L, 64L, 24L, 32L, 8L, 32L, 48L, 64L),
                    "olmoe", Map.of(16L, 64L, 24L, 32L, 8L, 32L),
                    "qwen2_moe", Map.of(16L, 64L, 24L, 32L, 8L, 32L, 12L, 32L, 20L, 64L),
                    // fused input_linear [E, 2I, H]: 2I = 24 -> 64, output_linear I = 12 -> 32
                    "granitemoe", Map.of(16L, 64L, 24L, 64L, 12L, 32L, 8L, 32L),
                    // head_dim 8 -> 32 (q rows 32 -> 128, kv rows 2 x 32 = 64 = H), experts 6 -> 32
                    "glm4_moe", Map.of(16L, 64L, 8L, 32L, 32L, 128L, 6L, 32L, 20L, 64L));

    static final Map<String, Map<String, Long>> CONFIG =
            Map.of(
                    "mixtral",
                    Map.of("hidden_size", 64L, "intermediate_size", 32L),
                    "mixtral_fused",
                    Map.of("hidden_size", 64L, "intermediate_size", 32L),
                    "olmoe",
                    Map.of("hidden_size", 64L, "intermediate_size", 32L),
                    "qwen2_moe",
                    Map.of(
                            "hidden_size",
                            64L,
                            "intermediate_size",
                            32L,
                            "moe_intermediate_size",
                            32L,
                            "shared_expert_intermediate_size",
                            64L),
                    "granitemoe",
                    Map.of("hidden_size", 64L, "intermediate_size", 32L),
                    "glm4_moe",
                    Map.of(
                            "hidden_size",
                            64L,
                            "head_dim",
                            32L,
                            "moe_intermediate_size",
                            32L,
                            "intermediate_size",
                            64L));

    /**
     * Writes the widened fixture into {@code out} (created) and returns it.
     *
     * @param fixtures the committed fixtures directory
     * @param name mixtral, mixtral_fused, olmoe, qwen2_moe, granitemoe or glm4_moe
     * @param out the directory to write
     * @param seed the seed of the random weights
     * @return out
     * @throws Exception if a file cannot be read or written
     */
    public static Path write(Path fixtures, String name, Path out, long seed) throws Exception {
        Path source = fixtures.resolve(name);
        Files.createDirectories(out);
        JsonObject config =
                JsonParser.parseString(Files.readString(source.resolve("config.json")))
                        .getAsJsonObject();
        CONFIG.get(name).forEach(config::addProperty);
        Files.writeString(
                out.resolve("config.json"),
                new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(config));
        SafetensorsFile file = SafetensorsFile.open(source.resolve("model.safetensors"));
        SafetensorsWriter writer = new SafetensorsWriter(TensorDType.F32);
        Random random = new Random(seed);
        Map<Long, Long> dims = DIMS.get(name);
        for (TensorInfo info : file.tensors().values()) {
            long[] shape = info.shape().getShape().clone();
            for (int i = 0; i < shape.length; i++) {
                shape[i] = dims.getOrDefault(shape[i], shape[i]);
            }
            Shape scaled = new Shape(shape);
            boolean norm = info.name().contains("norm");
            float[] values = new float[Math.toIntExact(scaled.size())];
            for (int i = 0; i < values.length; i++) {
                values[i] =
                        norm
                                ? 1f + 0.1f * (float) random.nextGaussian()
                                : 0.15f * (float) random.nextGaussian();
            }
            writer.addStreamed(
                    info.name(),
                    TensorDType.F32,
                    scaled,
                    channel -> {
                        ByteBuffer b =
                                ByteBuffer.allocate(values.length * 4)
                                        .order(ByteOrder.LITTLE_ENDIAN);
                        b.asFloatBuffer().put(values);
                        SafetensorsWriter.writeFully(channel, b);
                    });
        }
        writer.write(out.resolve("model.safetensors"));
        return out;
    }
}
