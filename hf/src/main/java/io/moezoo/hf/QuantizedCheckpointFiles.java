package io.moezoo.hf;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.moezoo.formats.CheckpointFiles;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.formats.StrictJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The JSON and tokenizer files of a quantised checkpoint ({@link CheckpointQuantizer}). */
final class QuantizedCheckpointFiles {

    private static final long MAX_COPIED_BYTES = 1L << 30;

    private QuantizedCheckpointFiles() {}

    /**
     * Copies config.json (without an FP8 {@code quantization_config}: the weights are no longer
     * FP8) and those of the given files that exist.
     */
    static void copy(Path source, Path target, List<String> names)
            throws IOException, MalformedCheckpointException {
        Path config = source.resolve(HfCheckpointLoader.CONFIG_FILE);
        JsonElement root =
                StrictJson.parse(
                        CheckpointFiles.readUtf8(config, CheckpointFiles.MAX_CONFIG_BYTES),
                        config.toString());
        Path configOut = target.resolve(HfCheckpointLoader.CONFIG_FILE);
        if (root.isJsonObject() && root.getAsJsonObject().has("quantization_config")) {
            JsonObject copy = root.getAsJsonObject().deepCopy();
            copy.remove("quantization_config");
            String text =
                    new GsonBuilder()
                                    .setPrettyPrinting()
                                    .disableHtmlEscaping()
                                    .serializeNulls()
                                    .create()
                                    .toJson(copy)
                            + "\n";
            Files.writeString(configOut, text, StandardCharsets.UTF_8);
        } else {
            Files.copy(config, configOut);
        }
        for (String name : names) {
            Path file = source.resolve(name);
            if (Files.exists(file)) {
                CheckpointFiles.requireRegularFile(file, MAX_COPIED_BYTES);
                Files.copy(file, target.resolve(name));
            }
        }
    }

    /** Writes a shard index: total size and the shard of every tensor. */
    static void writeIndex(Path index, Map<String, String> weightMap, long totalSize)
            throws IOException {
        JsonObject root = new JsonObject();
        JsonObject metadata = new JsonObject();
        metadata.addProperty("total_size", totalSize);
        root.add("metadata", metadata);
        JsonObject map = new JsonObject();
        weightMap.forEach(map::addProperty);
        root.add("weight_map", map);
        Files.writeString(
                index,
                new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(root)
                        + "\n",
                StandardCharsets.UTF_8);
    }
}
