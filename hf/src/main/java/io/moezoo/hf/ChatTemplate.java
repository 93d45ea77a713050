package io.moezoo.hf;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.moezoo.formats.CheckpointFiles;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.formats.StrictJson;
import io.moezoo.translators.text.ChatMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Hugging Face checkpoint's chat template: the Jinja program that turns a conversation into the
 * prompt the model was trained on, with the checkpoint's BOS and EOS tokens. It comes from {@value
 * #TEMPLATE_FILE} when the directory has one, else from the {@code chat_template} field of {@value
 * #TOKENIZER_CONFIG} (a string, or a list of {@code {name, template}} objects of which the one
 * named {@code default} is taken), as transformers reads it. Both files are untrusted input:
 * regular files, bounded, strict UTF-8 and strict JSON; the template runs in a sandbox ({@link
 * ChatTemplateSandbox}: no file or network access, bounded output and time).
 *
 * <p>{@link #render} passes the variables transformers passes: {@code messages} (maps with {@code
 * role} and {@code content}), {@code add_generation_prompt}, {@code bos_token} and {@code
 * eos_token} (when the checkpoint names them), and the functions {@code raise_exception} and {@code
 * strftime_now}. The Python {@code str} methods templates call ({@code strip}, {@code startswith},
 * {@code split} ...) are provided; see {@link PythonStrings}.
 */
public final class ChatTemplate {

    /** The file a template is read from first. */
    public static final String TEMPLATE_FILE = "chat_template.jinja";

    /** The file whose {@code chat_template} field holds the template otherwise. */
    public static final String TOKENIZER_CONFIG = "tokenizer_config.json";

    /** The largest template file. */
    public static final long MAX_TEMPLATE_BYTES = 1L << 20;

    /** The largest {@value #TOKENIZER_CONFIG} (it lists every added token). */
    public static final long MAX_TOKENIZER_CONFIG_BYTES = 16L << 20;

    private final String name;
    private final String source;
    private final String bosToken;
    private final String eosToken;

    private ChatTemplate(String name, String source, String bosToken, String eosToken) {
        this.name = name;
        this.source = source;
        this.bosToken = bosToken;
        this.eosToken = eosToken;
    }

    /**
     * A template from its text (for tests and templates that come from elsewhere).
     *
     * @param name what messages call it
     * @param source the Jinja text
     * @param bosToken the BOS token, or null when there is none
     * @param eosToken the EOS token, or null when there is none
     * @return the template
     */
    public static ChatTemplate of(String name, String source, String bosToken, String eosToken) {
        return new ChatTemplate(
                Objects.requireNonNull(name, "name"),
                Objects.requireNonNull(source, "source"),
                bosToken,
                eosToken);
    }

    /**
     * Whether a checkpoint directory has a chat template.
     *
     * @param dir the checkpoint directory
     * @return true if it has {@value #TEMPLATE_FILE} or a {@code chat_template} field
     * @throws IOException if a file cannot be read
     * @throws MalformedCheckpointException if a file is invalid
     */
    public static boolean present(Path dir) throws IOException, MalformedCheckpointException {
        return exists(dir.resolve(TEMPLATE_FILE))
                || (exists(dir.resolve(TOKENIZER_CONFIG))
                        && tokenizerConfig(dir.resolve(TOKENIZER_CONFIG)).has("chat_template")
                        && !tokenizerConfig(dir.resolve(TOKENIZER_CONFIG))
                                .get("chat_template")
                                .isJsonNull());
    }

    /**
     * Reads a checkpoint directory's chat template and special tokens.
     *
     * @param dir the checkpoint directory
     * @return the template
     * @throws IOException if a file cannot be read
     * @throws MalformedCheckpointException naming the file and field that is invalid
     * @throws IllegalArgumentException if the checkpoint has no chat template
     */
    public static ChatTemplate read(Path dir) throws IOException, MalformedCheckpointException {
        Path file = dir.resolve(TEMPLATE_FILE);
        Path configFile = dir.resolve(TOKENIZER_CONFIG);
        JsonObject config = exists(configFile) ? tokenizerConfig(configFile) : new JsonObject();
        String bos = token(config, "bos_token", configFile);
        String eos = token(config, "eos_token", configFile);
        if (exists(file)) {
            return new ChatTemplate(
                    file.toString(), CheckpointFiles.readUtf8(file, MAX_TEMPLATE_BYTES), bos, eos);
        }
        JsonElement field = config.get("chat_template");
        if (field == null || field.isJsonNull()) {
            throw new IllegalArgumentException(
                    dir
                            + " has no chat template (neither "
                            + TEMPLATE_FILE
                            + " nor a chat_template field in "
                            + TOKENIZER_CONFIG
                            + "): a base model, not a chat model? Use generate instead");
        }
        String where = configFile + ": field 'chat_template'";
        if (field.isJsonPrimitive() && field.getAsJsonPrimitive().isString()) {
            return new ChatTemplate(configFile + " chat_template", field.getAsString(), bos, eos);
        }
        if (!field.isJsonArray()) {
            throw new MalformedCheckpointException(
                    where + " is " + StrictJson.describe(field) + ", not a string or a list");
        }
        List<String> names = new ArrayList<>();
        for (JsonElement e : (JsonArray) field) {
            if (!e.isJsonObject()
                    || !isString(e.getAsJsonObject().get("name"))
                    || !isString(e.getAsJsonObject().get("template"))) {
                throw new MalformedCheckpointException(
                        where
                                + " has an entry that is not {\"name\": string, \"template\": string}");
            }
            String entry = e.getAsJsonObject().get("name").getAsString();
            if (entry.equals("default")) {
                return new ChatTemplate(
                        configFile + " chat_template 'default'",
                        e.getAsJsonObject().get("template").getAsString(),
                        bos,
                        eos);
            }
            names.add(StrictJson.quote(entry));
        }
        throw new MalformedCheckpointException(
                where + " lists no template named 'default' (it has " + names + ")");
    }

    private static boolean exists(Path file) {
        return Files.exists(file, LinkOption.NOFOLLOW_LINKS) || Files.exists(file);
    }

    private static boolean isString(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString();
    }

    private static JsonObject tokenizerConfig(Path file)
            throws IOException, MalformedCheckpointException {
        String text = CheckpointFiles.readUtf8(file, MAX_TOKENIZER_CONFIG_BYTES);
        JsonElement root = StrictJson.parse(text, file.toString());
        if (!root.isJsonObject()) {
            throw new MalformedCheckpointException(
                    file + ": the root is " + StrictJson.describe(root) + ", not an object");
        }
        return root.getAsJsonObject();
    }

    /** A special token: a string, or an AddedToken object with a string {@code content}. */
    private static String token(JsonObject config, String field, Path file)
            throws MalformedCheckpointException {
        JsonElement e = config.get(field);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (isString(e)) {
            return e.getAsString();
        }
        if (e.isJsonObject() && isString(e.getAsJsonObject().get("content"))) {
            return e.getAsJsonObject().get("content").getAsString();
        }
        throw new MalformedCheckpointException(
                file
                        + ": field '"
                        + field
                        + "' is "
                        + StrictJson.describe(e)
                        + ", not a string or an object with a string 'content'");
    }

    /**
     * Returns what messages call this template (its file, or file and field).
     *
     * @return the name
     */
    public String name() {
        return name;
    }

    /**
     * Returns the template text.
     *
     * @return the Jinja source
     */
    public String source() {
        return source;
    }

    /**
     * Returns the BOS token passed to the template.
     *
     * @return the token, or null when the checkpoint names none
     */
    public String bosToken() {
        return bosToken;
    }

    /**
     * Returns the EOS token passed to the template.
     *
     * @return the token, or null when the checkpoint names none
     */
    public String eosToken() {
        return eosToken;
    }

    /**
     * Renders a conversation into a prompt.
     *
     * @param messages the conversation, oldest first
     * @param addGenerationPrompt true to end with the header of the assistant's next answer
     * @return the prompt text
     * @throws ChatTemplateException naming the template, if it fails or refuses the conversation
     *     ({@link ChatTemplateRaisedException} for its own {@code raise_exception})
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        List<Map<String, Object>> list = new ArrayList<>(messages.size());
        for (ChatMessage m : messages) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("role", m.role());
            map.put("content", m.content());
            list.add(map);
        }
        Map<String, Object> bindings = new HashMap<>();
        bindings.put("messages", list);
        bindings.put("add_generation_prompt", addGenerationPrompt);
        if (bosToken != null) {
            bindings.put("bos_token", bosToken);
        }
        if (eosToken != null) {
            bindings.put("eos_token", eosToken);
        }
        return ChatTemplateSandbox.render(name, source, bindings);
    }
}
