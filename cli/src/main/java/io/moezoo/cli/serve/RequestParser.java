package io.moezoo.cli.serve;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.moezoo.hf.harmony.HarmonyFormatException;
import io.moezoo.hf.harmony.ReasoningEffort;
import io.moezoo.translators.text.GenerationConfig;
import io.moezoo.translators.text.StopStrings;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the JSON body of {@code /v1/completions} and {@code /v1/chat/completions} into a {@link
 * GenerationRequest}, refusing malformed JSON, wrong types and values out of range with a 400 that
 * names the field. Unknown fields are ignored, as OpenAI clients send some this server does not use
 * ({@code user}, {@code logit_bias} left null, ...).
 */
final class RequestParser {

    /**
     * {@code max_tokens} of a completion request that gives none (OpenAI's default for
     * completions); a chat request that gives none may use the server's whole limit. Either is
     * lowered to what the model's context leaves after the prompt.
     */
    static final int DEFAULT_MAX_TOKENS = 16;

    private final int maxTokensLimit;

    /**
     * Creates the parser.
     *
     * @param maxTokensLimit the largest {@code max_tokens} accepted
     */
    RequestParser(int maxTokensLimit) {
        this.maxTokensLimit = maxTokensLimit;
    }

    /**
     * Parses a request body.
     *
     * @param body the body
     * @param chat true for a chat request ({@code messages}), false for a completion ({@code
     *     prompt})
     * @return the request
     * @throws ApiException 400 naming what is wrong
     */
    GenerationRequest parse(String body, boolean chat) {
        JsonObject json = object(body);
        String prompt = null;
        List<Message> messages = null;
        if (chat) {
            messages = messages(json.get("messages"));
        } else {
            prompt = string(json, "prompt", true);
            if (prompt.isEmpty()) {
                throw ApiException.invalid("prompt", "'prompt' must not be empty");
            }
        }
        Integer n = integer(json, "n", 1, 1);
        if (n != null && n != 1) {
            throw ApiException.invalid("n", "only n = 1 is supported");
        }
        String maxName =
                chat && present(json, "max_completion_tokens")
                        ? "max_completion_tokens"
                        : "max_tokens";
        Integer maxTokens = integer(json, maxName, 1, Integer.MAX_VALUE);
        if (maxTokens != null && maxTokens > maxTokensLimit) {
            throw ApiException.invalid(
                    maxName,
                    "'"
                            + maxName
                            + "' is "
                            + maxTokens
                            + ", more than this server's limit of "
                            + maxTokensLimit
                            + " (--max-tokens-limit)");
        }
        Integer topK = integer(json, "top_k", -1, Integer.MAX_VALUE);
        Float temperature = number(json, "temperature", 0, GenerationConfig.MAX_TEMPERATURE);
        Float topP = number(json, "top_p", 0, 1);
        if (topP != null && topP == 0) {
            throw ApiException.invalid("top_p", "'top_p' must be in (0, 1], got 0");
        }
        Float minP = number(json, "min_p", 0, 1);
        if (minP != null && minP >= 1) {
            throw ApiException.invalid("min_p", "'min_p' must be in [0, 1), got " + minP);
        }
        Float presence = number(json, "presence_penalty", -2, 2);
        Float frequency = number(json, "frequency_penalty", -2, 2);
        Float repetition = number(json, "repetition_penalty", 0, 1e4);
        if (repetition != null && repetition == 0) {
            throw ApiException.invalid(
                    "repetition_penalty", "'repetition_penalty' must be > 0 (1 = off), got 0");
        }
        List<String> stops = stopStrings(json.get("stop"));
        JsonElement stream = json.get("stream");
        if (stream != null && !stream.isJsonNull() && !isBoolean(stream)) {
            throw ApiException.invalid("stream", "'stream' must be a boolean");
        }
        return new GenerationRequest(
                prompt,
                messages,
                maxTokens != null
                        ? maxTokens
                        : chat ? maxTokensLimit : Math.min(DEFAULT_MAX_TOKENS, maxTokensLimit),
                maxTokens != null,
                temperature,
                topP,
                topK == null ? null : Math.max(topK, 0),
                minP,
                presence == null ? 0f : presence,
                frequency == null ? 0f : frequency,
                repetition,
                seed(json),
                stopTokenIds(json.get("stop_token_ids")),
                stops,
                stream != null && !stream.isJsonNull() && stream.getAsBoolean(),
                reasoningEffort(json));
    }

    /** {@code reasoning_effort}: low, medium or high, or absent. */
    private static ReasoningEffort reasoningEffort(JsonObject json) {
        String effort = string(json, "reasoning_effort", false);
        if (effort == null) {
            return null;
        }
        try {
            return ReasoningEffort.parse(effort, "'reasoning_effort'");
        } catch (HarmonyFormatException e) {
            throw ApiException.invalid("reasoning_effort", e.getMessage());
        }
    }

    private static JsonObject object(String body) {
        JsonElement root;
        try {
            root = JsonParser.parseString(body);
        } catch (JsonParseException | StackOverflowError e) {
            throw ApiException.invalid(null, "the request body is not valid JSON");
        }
        if (root == null || !root.isJsonObject()) {
            throw ApiException.invalid(null, "the request body must be a JSON object");
        }
        return root.getAsJsonObject();
    }

    private static boolean present(JsonObject json, String name) {
        return json.has(name) && !json.get(name).isJsonNull();
    }

    private static boolean isBoolean(JsonElement e) {
        return e.isJsonPrimitive() && e.getAsJsonPrimitive().isBoolean();
    }

    private static String string(JsonObject json, String name, boolean required) {
        JsonElement e = json.get(name);
        if (e == null || e.isJsonNull()) {
            if (required) {
                throw ApiException.invalid(name, "'" + name + "' is required");
            }
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw ApiException.invalid(name, "'" + name + "' must be a string");
        }
        return e.getAsString();
    }

    private static BigDecimal decimal(JsonObject json, String name) {
        JsonElement e = json.get(name);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw ApiException.invalid(name, "'" + name + "' must be a number");
        }
        try {
            return new BigDecimal(e.getAsJsonPrimitive().getAsString());
        } catch (NumberFormatException ex) {
            throw ApiException.invalid(name, "'" + name + "' must be a number");
        }
    }

    private static Integer integer(JsonObject json, String name, long min, long max) {
        BigDecimal d = decimal(json, name);
        if (d == null) {
            return null;
        }
        if (d.stripTrailingZeros().scale() > 0
                || d.compareTo(BigDecimal.valueOf(min)) < 0
                || d.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw ApiException.invalid(
                    name, "'" + name + "' must be an integer in [" + min + ", " + max + "]");
        }
        return d.intValueExact();
    }

    private static Float number(JsonObject json, String name, double min, double max) {
        BigDecimal d = decimal(json, name);
        if (d == null) {
            return null;
        }
        double v = d.doubleValue();
        if (!(v >= min && v <= max)) {
            throw ApiException.invalid(
                    name,
                    "'" + name + "' must be in [" + fmt(min) + ", " + fmt(max) + "], got " + d);
        }
        return (float) v;
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }

    private static long seed(JsonObject json) {
        BigDecimal d = decimal(json, "seed");
        if (d == null) {
            return 0L;
        }
        try {
            return d.longValueExact();
        } catch (ArithmeticException e) {
            throw ApiException.invalid("seed", "'seed' must be a 64-bit integer");
        }
    }

    private static Set<Long> stopTokenIds(JsonElement e) {
        Set<Long> ids = new HashSet<>();
        if (e == null || e.isJsonNull()) {
            return ids;
        }
        String message =
                "'stop_token_ids' must be an array of at most "
                        + GenerationConfig.MAX_STOP_TOKENS
                        + " token ids >= 0";
        if (!e.isJsonArray() || e.getAsJsonArray().size() > GenerationConfig.MAX_STOP_TOKENS) {
            throw ApiException.invalid("stop_token_ids", message);
        }
        for (JsonElement id : e.getAsJsonArray()) {
            JsonObject holder = new JsonObject();
            holder.add("stop_token_ids", id);
            Integer value;
            try {
                value = integer(holder, "stop_token_ids", 0, Integer.MAX_VALUE);
            } catch (ApiException ex) {
                value = null;
            }
            if (value == null) {
                throw ApiException.invalid("stop_token_ids", message);
            }
            ids.add(value.longValue());
        }
        return ids;
    }

    /**
     * {@code stop}: a string or an array of strings (at most {@value StopStrings#MAX_COUNT}, each
     * non-empty); null, {@code ""} and {@code []} mean none.
     */
    private static List<String> stopStrings(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            return List.of();
        }
        String message =
                "'stop' must be a string or an array of at most "
                        + StopStrings.MAX_COUNT
                        + " non-empty strings of at most "
                        + StopStrings.MAX_LENGTH
                        + " characters";
        List<JsonElement> items = new ArrayList<>();
        if (e.isJsonArray()) {
            e.getAsJsonArray().forEach(items::add);
        } else {
            items.add(e);
        }
        List<String> stops = new ArrayList<>();
        for (JsonElement item : items) {
            if (!isString(item)) {
                throw ApiException.invalid("stop", message);
            }
            String stop = item.getAsString();
            if (stop.length() > StopStrings.MAX_LENGTH || (stop.isEmpty() && e.isJsonArray())) {
                throw ApiException.invalid("stop", message);
            }
            if (!stop.isEmpty()) {
                stops.add(stop);
            }
        }
        if (stops.size() > StopStrings.MAX_COUNT) {
            throw ApiException.invalid("stop", message);
        }
        return stops;
    }

    private static List<Message> messages(JsonElement e) {
        if (e == null || e.isJsonNull()) {
            throw ApiException.invalid("messages", "'messages' is required");
        }
        if (!e.isJsonArray() || e.getAsJsonArray().isEmpty()) {
            throw ApiException.invalid("messages", "'messages' must be a non-empty array");
        }
        List<Message> messages = new ArrayList<>();
        for (JsonElement m : e.getAsJsonArray()) {
            if (!m.isJsonObject()) {
                throw ApiException.invalid(
                        "messages", "each message must be an object {role, content}");
            }
            JsonObject o = m.getAsJsonObject();
            JsonElement role = o.get("role");
            JsonElement content = o.get("content");
            if (!isString(role) || !isString(content)) {
                throw ApiException.invalid(
                        "messages", "each message needs a string 'role' and a string 'content'");
            }
            messages.add(new Message(role.getAsString(), content.getAsString()));
        }
        return messages;
    }

    private static boolean isString(JsonElement e) {
        return e != null && e.isJsonPrimitive() && ((JsonPrimitive) e).isString();
    }
}
