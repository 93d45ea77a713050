package io.moezoo.cli.serve;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;

/** The JSON documents of the OpenAI API the server answers with. */
final class Responses {

    private Responses() {}

    /**
     * {@code GET /v1/models}.
     *
     * @param modelId the served model
     * @param created when the server started (seconds since the epoch)
     * @return the list
     */
    static JsonObject models(String modelId, long created) {
        JsonObject model = new JsonObject();
        model.addProperty("id", modelId);
        model.addProperty("object", "model");
        model.addProperty("created", created);
        model.addProperty("owned_by", "moezoo");
        JsonArray data = new JsonArray();
        data.add(model);
        JsonObject list = new JsonObject();
        list.addProperty("object", "list");
        list.add("data", data);
        return list;
    }

    /**
     * An OpenAI error object.
     *
     * @param e the refusal
     * @return {@code {"error":{"message","type","param","code"}}}
     */
    static JsonObject error(ApiException e) {
        JsonObject error = new JsonObject();
        error.addProperty("message", e.getMessage());
        error.addProperty("type", e.type());
        error.addProperty("param", e.param());
        error.add("code", JsonNull.INSTANCE);
        JsonObject root = new JsonObject();
        root.add("error", error);
        return root;
    }

    /**
     * The response to a request that did not stream.
     *
     * @param head the id, creation time and model of the response
     * @param chat true for a chat completion
     * @param c the completion
     * @param reasoning a harmony reply's {@code reasoning_content} (null when there is none), or
     *     null for other models
     * @param harmony true when the model is a harmony model, whose chat messages carry {@code
     *     reasoning_content}
     * @return {@code text_completion} or {@code chat.completion}
     */
    static JsonObject completion(
            Head head, boolean chat, Completion c, String reasoning, boolean harmony) {
        JsonObject choice = new JsonObject();
        choice.addProperty("index", 0);
        if (chat) {
            JsonObject message = new JsonObject();
            message.addProperty("role", "assistant");
            message.addProperty("content", c.text());
            if (harmony) {
                message.addProperty("reasoning_content", reasoning);
            }
            choice.add("message", message);
        } else {
            choice.addProperty("text", c.text());
            choice.add("logprobs", JsonNull.INSTANCE);
        }
        choice.addProperty("finish_reason", c.finishReason());
        JsonObject root = head.object(chat ? "chat.completion" : "text_completion", choice);
        JsonObject usage = new JsonObject();
        usage.addProperty("prompt_tokens", c.promptTokens());
        usage.addProperty("completion_tokens", c.completionTokens());
        usage.addProperty("total_tokens", c.promptTokens() + c.completionTokens());
        root.add("usage", usage);
        return root;
    }

    /**
     * One event of a streamed response.
     *
     * @param head the id, creation time and model of the response
     * @param chat true for a chat completion chunk
     * @param role the role to announce (the first chat chunk), or null
     * @param text a piece of the continuation, or null
     * @param reasoning a piece of a harmony reply's reasoning ({@code reasoning_content}), or null
     * @param finishReason the finish reason of the last chunk, or null
     * @return {@code text_completion} or {@code chat.completion.chunk}
     */
    static JsonObject chunk(
            Head head,
            boolean chat,
            String role,
            String text,
            String reasoning,
            String finishReason) {
        JsonObject choice = new JsonObject();
        choice.addProperty("index", 0);
        if (chat) {
            JsonObject delta = new JsonObject();
            if (role != null) {
                delta.addProperty("role", role);
            }
            if (text != null) {
                delta.addProperty("content", text);
            }
            if (reasoning != null) {
                delta.addProperty("reasoning_content", reasoning);
            }
            choice.add("delta", delta);
        } else {
            choice.addProperty("text", text == null ? "" : text);
            choice.add("logprobs", JsonNull.INSTANCE);
        }
        choice.addProperty("finish_reason", finishReason);
        return head.object(chat ? "chat.completion.chunk" : "text_completion", choice);
    }

    /**
     * What every document of one response starts with.
     *
     * @param id the response id
     * @param created the creation time, seconds since the epoch
     * @param model the model id
     */
    record Head(String id, long created, String model) {

        JsonObject object(String type, JsonObject choice) {
            JsonObject root = new JsonObject();
            root.addProperty("id", id);
            root.addProperty("object", type);
            root.addProperty("created", created);
            root.addProperty("model", model);
            JsonArray choices = new JsonArray();
            choices.add(choice);
            root.add("choices", choices);
            return root;
        }
    }
}
