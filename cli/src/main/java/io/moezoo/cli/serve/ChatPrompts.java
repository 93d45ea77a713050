package io.moezoo.cli.serve;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The chat prompts of the models the server loads. Chat templates are not rendered yet: a
 * checkpoint whose {@code tokenizer_config.json} has a {@code chat_template} (or that has a {@code
 * chat_template.jinja}) answers chat requests with 501, any other model with 400.
 */
public final class ChatPrompts {

    /** The largest tokenizer_config.json read (they hold the added tokens, some MiB at most). */
    private static final long MAX_CONFIG_BYTES = 64L << 20;

    private ChatPrompts() {}

    /**
     * The chat prompt of a model without a chat template.
     *
     * @return a prompt that refuses every chat request with 400
     */
    public static ChatPrompt none() {
        return messages -> {
            throw ApiException.invalid("messages", "this model has no chat template");
        };
    }

    /**
     * The chat prompt of a checkpoint directory.
     *
     * @param dir the checkpoint directory
     * @return a prompt that refuses chat requests: 501 when the checkpoint has a chat template (not
     *     wired yet), else 400
     */
    public static ChatPrompt forCheckpoint(Path dir) {
        if (!hasTemplate(dir)) {
            return none();
        }
        return messages -> {
            throw new ApiException(
                    501,
                    "this model has a chat template, but chat templates are not wired into"
                            + " moe-zoo serve yet: use /v1/completions with a formatted prompt",
                    "messages");
        };
    }

    /**
     * Whether a checkpoint has a chat template.
     *
     * @param dir the checkpoint directory
     * @return true when its tokenizer_config.json has a non-null {@code chat_template} or it has a
     *     {@code chat_template.jinja}
     */
    static boolean hasTemplate(Path dir) {
        if (Files.isRegularFile(dir.resolve("chat_template.jinja"))) {
            return true;
        }
        Path config = dir.resolve("tokenizer_config.json");
        try {
            if (!Files.isRegularFile(config) || Files.size(config) > MAX_CONFIG_BYTES) {
                return false;
            }
            JsonElement root =
                    JsonParser.parseString(Files.readString(config, StandardCharsets.UTF_8));
            if (!root.isJsonObject()) {
                return false;
            }
            JsonObject object = root.getAsJsonObject();
            return object.has("chat_template") && !object.get("chat_template").isJsonNull();
        } catch (IOException | JsonParseException e) {
            return false;
        }
    }
}
