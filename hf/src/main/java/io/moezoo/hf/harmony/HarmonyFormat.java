package io.moezoo.hf.harmony;

import com.google.gson.JsonElement;
import io.moezoo.formats.CheckpointFiles;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.formats.StrictJson;
import io.moezoo.translators.text.ChatMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Renders a conversation into a harmony prompt, as OpenAI's harmony library renders it for gpt-oss:
 *
 * <pre>
 * &lt;|start|&gt;system&lt;|message|&gt;{identity}
 * Knowledge cutoff: 2024-06
 * Current date: {YYYY-MM-DD}
 *
 * Reasoning: {low|medium|high}
 *
 * # Valid channels: analysis, commentary, final. Channel must be included for every message.&lt;|end|&gt;
 * &lt;|start|&gt;developer&lt;|message|&gt;# Instructions
 *
 * {the system prompt}&lt;|end|&gt;
 * &lt;|start|&gt;user&lt;|message|&gt;{user turn}&lt;|end|&gt;
 * &lt;|start|&gt;assistant&lt;|channel|&gt;final&lt;|message|&gt;{earlier answer}&lt;|end|&gt;
 * ...
 * &lt;|start|&gt;assistant
 * </pre>
 *
 * (without the line breaks between messages). The harmony system message carries the model's
 * identity, dates, reasoning effort and channels; what other chat formats call the system prompt (a
 * leading {@code system} message) becomes the developer message's instructions. Assistant messages
 * are earlier final answers: the analysis of earlier turns is never rendered, as harmony prescribes
 * once a turn has ended in a final answer, and a stored answer ends with {@code <|end|>}, not with
 * the {@code <|return|>} that ended its sampling.
 *
 * <p>Refused with a {@link HarmonyFormatException}: {@code tool} messages (tool calling is not
 * supported), a {@code system} message anywhere but first, and content that contains a harmony
 * special token such as {@code <|end|>} (it would be encoded as that token and forge structure).
 *
 * <p>Instances are immutable; {@link #defaults()} dates the prompt today when it is rendered.
 */
public final class HarmonyFormat {

    /** The {@code model_type} of {@code config.json} whose checkpoints speak harmony. */
    public static final String MODEL_TYPE = "gpt_oss";

    /** The identity gpt-oss was trained with. */
    public static final String DEFAULT_MODEL_IDENTITY =
            "You are ChatGPT, a large language model trained by OpenAI.";

    /** gpt-oss's knowledge cutoff, as its system message states it. */
    public static final String KNOWLEDGE_CUTOFF = "2024-06";

    /** The channels line of the system message (no function tools). */
    static final String CHANNELS =
            "# Valid channels: analysis, commentary, final. Channel must be included for every"
                    + " message.";

    private final String modelIdentity;
    private final ReasoningEffort reasoningEffort;
    private final LocalDate currentDate;

    private HarmonyFormat(
            String modelIdentity, ReasoningEffort reasoningEffort, LocalDate currentDate) {
        this.modelIdentity = modelIdentity;
        this.reasoningEffort = reasoningEffort;
        this.currentDate = currentDate;
    }

    /**
     * The format with gpt-oss's identity, medium reasoning and today's date (taken at each render).
     *
     * @return the format
     */
    public static HarmonyFormat defaults() {
        return new HarmonyFormat(DEFAULT_MODEL_IDENTITY, ReasoningEffort.MEDIUM, null);
    }

    /**
     * Returns a copy with another reasoning effort.
     *
     * @param effort the effort
     * @return the copy
     */
    public HarmonyFormat withReasoningEffort(ReasoningEffort effort) {
        return new HarmonyFormat(
                modelIdentity, Objects.requireNonNull(effort, "effort"), currentDate);
    }

    /**
     * Returns a copy that states a fixed current date.
     *
     * @param date the date, or null for the day of each render
     * @return the copy
     */
    public HarmonyFormat withCurrentDate(LocalDate date) {
        return new HarmonyFormat(modelIdentity, reasoningEffort, date);
    }

    /**
     * Returns a copy with another model identity (harmony advises keeping the default and giving
     * instructions in the developer message instead).
     *
     * @param identity the first line of the system message, without line breaks
     * @return the copy
     * @throws HarmonyFormatException if it is empty, has a line break or a special token
     */
    public HarmonyFormat withModelIdentity(String identity) {
        Objects.requireNonNull(identity, "identity");
        if (identity.isBlank() || identity.contains("\n") || identity.contains("\r")) {
            throw new HarmonyFormatException(
                    "the model identity must be one non-blank line, got '" + identity + "'");
        }
        checkContent(identity, "the model identity");
        return new HarmonyFormat(identity, reasoningEffort, currentDate);
    }

    /**
     * Returns the reasoning effort the system message states.
     *
     * @return the effort
     */
    public ReasoningEffort reasoningEffort() {
        return reasoningEffort;
    }

    /**
     * Whether a checkpoint speaks harmony: its {@code config.json} has {@code model_type} {@value
     * #MODEL_TYPE}.
     *
     * @param dir the checkpoint directory
     * @return true for gpt-oss checkpoints; false when there is no {@code config.json} or it names
     *     another (or no) model type
     * @throws IOException if the file cannot be read
     * @throws MalformedCheckpointException if it is not a bounded strict-JSON object
     */
    public static boolean appliesTo(Path dir) throws IOException, MalformedCheckpointException {
        Path config = dir.resolve("config.json");
        if (!Files.exists(config)) {
            return false;
        }
        JsonElement root =
                StrictJson.parse(
                        CheckpointFiles.readUtf8(config, CheckpointFiles.MAX_CONFIG_BYTES),
                        config.toString());
        if (!root.isJsonObject()) {
            throw new MalformedCheckpointException(
                    config + ": the root is " + StrictJson.describe(root) + ", not an object");
        }
        JsonElement type = root.getAsJsonObject().get("model_type");
        return type != null
                && type.isJsonPrimitive()
                && type.getAsJsonPrimitive().isString()
                && type.getAsString().equals(MODEL_TYPE);
    }

    /**
     * Returns the ids of the tokens that end a harmony reply, {@code <|return|>} (done) and {@code
     * <|call|>} (a tool call), in a checkpoint's tokenizer. gpt-oss's {@code
     * generation_config.json} lists {@code <|return|>} and {@code <|endoftext|>} as its EOS ids but
     * not {@code <|call|>}.
     *
     * @param encode the tokenizer: text to ids, adding no special tokens
     * @return the two ids
     * @throws HarmonyFormatException if the tokenizer does not encode each as one token (not a
     *     harmony tokenizer)
     */
    public static Set<Long> stopTokenIds(Function<String, long[]> encode) {
        Set<Long> ids = new LinkedHashSet<>();
        for (HarmonyToken t : new HarmonyToken[] {HarmonyToken.RETURN, HarmonyToken.CALL}) {
            long[] encoded = encode.apply(t.text());
            if (encoded.length != 1) {
                throw new HarmonyFormatException(
                        "the tokenizer encodes "
                                + t.text()
                                + " as "
                                + Arrays.toString(encoded)
                                + ", not as one special token: not a harmony (gpt-oss) tokenizer");
            }
            ids.add(encoded[0]);
        }
        return ids;
    }

    /**
     * Returns the content of the system message.
     *
     * @return identity, dates, reasoning effort and channels
     */
    public String systemContent() {
        LocalDate date = currentDate == null ? LocalDate.now() : currentDate;
        return modelIdentity
                + "\nKnowledge cutoff: "
                + KNOWLEDGE_CUTOFF
                + "\nCurrent date: "
                + date
                + "\n\nReasoning: "
                + reasoningEffort.label()
                + "\n\n"
                + CHANNELS;
    }

    /**
     * Renders a conversation.
     *
     * @param messages an optional leading system message (the developer instructions), then user
     *     and assistant messages (earlier final answers) in any order
     * @param addGenerationPrompt true to end with {@code <|start|>assistant}, the header of the
     *     reply the model writes next
     * @return the prompt
     * @throws HarmonyFormatException if a message has a role or content harmony cannot carry here
     */
    public String render(List<ChatMessage> messages, boolean addGenerationPrompt) {
        StringBuilder out = new StringBuilder();
        append(out, "system", systemContent());
        for (int i = 0; i < messages.size(); i++) {
            ChatMessage m = messages.get(i);
            String where = "message " + (i + 1) + " (" + m.role() + ")";
            checkContent(m.content(), where);
            switch (m.role()) {
                case "system" -> {
                    if (i != 0) {
                        throw new HarmonyFormatException(
                                where
                                        + ": a system message may only come first (it becomes the"
                                        + " developer instructions)");
                    }
                    if (!m.content().isEmpty()) {
                        append(out, "developer", "# Instructions\n\n" + m.content());
                    }
                }
                case "user" -> append(out, "user", m.content());
                case "assistant" ->
                        append(
                                out,
                                "assistant" + HarmonyToken.CHANNEL.text() + "final",
                                m.content());
                default ->
                        throw new HarmonyFormatException(
                                where
                                        + ": "
                                        + m.role()
                                        + " messages are not supported by the harmony renderer"
                                        + " (tool calling is not implemented)");
            }
        }
        if (addGenerationPrompt) {
            out.append(HarmonyToken.START.text()).append("assistant");
        }
        return out.toString();
    }

    private static void append(StringBuilder out, String header, String content) {
        out.append(HarmonyToken.START.text())
                .append(header)
                .append(HarmonyToken.MESSAGE.text())
                .append(content)
                .append(HarmonyToken.END.text());
    }

    /** Refuses text that the tokenizer would read as a harmony special token. */
    private static void checkContent(String content, String where) {
        for (HarmonyToken t : HarmonyToken.values()) {
            if (content.contains(t.text())) {
                throw new HarmonyFormatException(
                        where
                                + " contains "
                                + t.text()
                                + ", a harmony special token: it would be read as that token,"
                                + " not as text");
            }
        }
    }
}
