package io.moezoo.cli.serve;

import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.hf.ChatTemplate;
import io.moezoo.hf.ChatTemplateException;
import io.moezoo.hf.harmony.HarmonyFormat;
import io.moezoo.translators.text.ChatMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The chat prompts of the models the server loads: a checkpoint's chat template ({@link
 * ChatTemplate}: {@code chat_template.jinja} or the {@code chat_template} of {@code
 * tokenizer_config.json}) renders the messages with the generation prompt; a model without one
 * refuses chat requests with 400. gpt-oss checkpoints ({@code model_type: gpt_oss}) use {@link
 * HarmonyFormat} instead of their template (the hub's Jinja rendering of the same format): it
 * honours {@code reasoning_effort}, refuses the shapes it cannot carry (tool messages, content with
 * harmony special tokens) with 400, and its replies are split into channels.
 */
public final class ChatPrompts {

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
     * The harmony chat prompt of gpt-oss: a request's {@code reasoning_effort} overrides the
     * format's.
     *
     * @param format the format (identity, default effort, date)
     * @return the chat prompt, with {@link ChatPrompt#harmony()} true
     */
    public static ChatPrompt harmony(HarmonyFormat format) {
        return new ChatPrompt() {
            @Override
            public String render(List<Message> messages) {
                return render(format, messages);
            }

            @Override
            public String render(GenerationRequest request) {
                return render(
                        request.reasoningEffort() == null
                                ? format
                                : format.withReasoningEffort(request.reasoningEffort()),
                        request.messages());
            }

            @Override
            public boolean harmony() {
                return true;
            }

            private String render(HarmonyFormat f, List<Message> messages) {
                List<ChatMessage> chat = new ArrayList<>();
                try {
                    for (Message m : messages) {
                        chat.add(new ChatMessage(m.role(), m.content()));
                    }
                    return f.render(chat, true);
                } catch (IllegalArgumentException e) {
                    // An invalid role, or a shape harmony cannot carry (HarmonyFormatException).
                    throw ApiException.invalid("messages", e.getMessage());
                }
            }
        };
    }

    /**
     * The chat prompt of a checkpoint directory.
     *
     * @param dir the checkpoint directory
     * @return harmony for gpt-oss, else its chat template, or {@link #none()} when it has none
     * @throws IOException if a file cannot be read
     * @throws MalformedCheckpointException if the template or tokenizer_config.json is invalid
     */
    public static ChatPrompt forCheckpoint(Path dir)
            throws IOException, MalformedCheckpointException {
        if (HarmonyFormat.appliesTo(dir)) {
            return harmony(HarmonyFormat.defaults());
        }
        if (!ChatTemplate.present(dir)) {
            return none();
        }
        ChatTemplate template = ChatTemplate.read(dir);
        return messages -> {
            List<ChatMessage> chat = new ArrayList<>();
            try {
                for (Message m : messages) {
                    chat.add(new ChatMessage(m.role(), m.content()));
                }
                return template.render(chat, true);
            } catch (IllegalArgumentException | ChatTemplateException e) {
                // An invalid role, or the template refusing the conversation (raise_exception).
                throw ApiException.invalid("messages", e.getMessage());
            }
        };
    }
}
