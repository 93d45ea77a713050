package io.moezoo.cli.serve;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * {@code POST /v1/completions} and {@code POST /v1/chat/completions}: reads and checks the request,
 * runs its generation through the {@link GenerationSlots}, and answers with one JSON document or,
 * with {@code stream}, with server-sent events (a chunk per piece of text as it is generated, a
 * last chunk with the finish reason, then {@code [DONE]}). A streaming client that goes away ends
 * its generation at the next piece of text. The chat replies of a harmony model (gpt-oss) are split
 * into {@code content}, the final channel, and {@code reasoning_content}, the others ({@link
 * HarmonyChannels}), in whole responses and in the chunks' deltas.
 */
final class CompletionHandler {

    private final TextGenerator generator;
    private final RequestParser parser;
    private final GenerationSlots slots;
    private final int maxRequestBytes;
    private final AtomicLong abandoned = new AtomicLong();

    /**
     * Creates the handler.
     *
     * @param generator the model
     * @param options the server's limits
     * @param slots the generation queue
     */
    CompletionHandler(TextGenerator generator, ServerOptions options, GenerationSlots slots) {
        this.generator = generator;
        this.parser = new RequestParser(options.maxTokensLimit());
        this.slots = slots;
        this.maxRequestBytes = options.maxRequestBytes();
    }

    /**
     * Answers a request.
     *
     * @param ctx the request
     * @param chat true for a chat request
     * @throws Exception an {@link ApiException} for a refused request, else a failure (500)
     */
    private Completion run(
            boolean chat, String prompt, GenerationRequest request, Consumer<String> onText)
            throws Exception {
        return chat
                ? generator.generateChat(prompt, request, onText)
                : generator.generate(prompt, request, onText);
    }

    void handle(Context ctx, boolean chat) throws Exception {
        GenerationRequest request = parser.parse(RequestBody.read(ctx, maxRequestBytes), chat);
        String prompt = chat ? generator.chatPrompt().render(request) : request.prompt();
        boolean harmony = chat && generator.chatPrompt().harmony();
        Responses.Head head =
                new Responses.Head(
                        (chat ? "chatcmpl-" : "cmpl-")
                                + UUID.randomUUID().toString().replace("-", ""),
                        Instant.now().getEpochSecond(),
                        generator.modelId());
        if (!request.stream()) {
            Completion c = slots.run(() -> run(chat, prompt, request, null));
            String reasoning = null;
            if (harmony) {
                HarmonyChannels.Split split = HarmonyChannels.split(c.text());
                reasoning = split.reasoning();
                c =
                        new Completion(
                                split.content(),
                                c.promptTokens(),
                                c.completionTokens(),
                                c.reachedLimit());
            }
            ctx.status(200)
                    .contentType("application/json")
                    .result(Responses.completion(head, chat, c, reasoning, harmony).toString());
            return;
        }
        EventStream events = new EventStream(ctx.res());
        HarmonyChannels.Sink send =
                (content, reasoning) -> {
                    announce(events, head, chat);
                    events.send(
                            Responses.chunk(head, chat, null, content, reasoning, null).toString());
                };
        HarmonyChannels channels = harmony ? new HarmonyChannels(send) : null;
        Consumer<String> onText =
                piece -> {
                    if (channels != null) {
                        channels.accept(piece);
                    } else if (!piece.isEmpty()) {
                        send.delta(piece, null);
                    }
                };
        try {
            Completion c = slots.run(() -> run(chat, prompt, request, onText));
            if (channels != null) {
                channels.finish();
            }
            announce(events, head, chat);
            events.send(Responses.chunk(head, chat, null, null, null, c.finishReason()).toString());
            events.send("[DONE]");
        } catch (EventStream.ClientGone e) {
            abandoned.incrementAndGet();
        } catch (ApiException e) {
            if (!events.started()) {
                throw e;
            }
            sendError(events, e);
        } catch (Exception e) {
            if (!events.started()) {
                throw e;
            }
            sendError(events, new ApiException(500, "generation failed: " + e, null));
        }
    }

    /** Sends the chat role chunk before the first piece of a chat response. */
    private static void announce(EventStream events, Responses.Head head, boolean chat) {
        if (chat && !events.started()) {
            events.send(Responses.chunk(head, true, "assistant", "", null, null).toString());
        }
    }

    /** Ends a started stream with an error event (its status, 200, is already sent). */
    private void sendError(EventStream events, ApiException e) {
        try {
            events.send(Responses.error(e).toString());
            events.send("[DONE]");
        } catch (EventStream.ClientGone gone) {
            abandoned.incrementAndGet();
        }
    }

    /**
     * Returns the streaming generations ended because their client went away.
     *
     * @return the count
     */
    long abandoned() {
        return abandoned.get();
    }
}
