package io.moezoo.cli.serve;

import io.javalin.http.Context;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code POST /v1/completions} and {@code POST /v1/chat/completions}: reads and checks the request,
 * runs its generation through the {@link GenerationSlots}, and answers with one JSON document or,
 * with {@code stream}, with server-sent events (a chunk per piece of text as it is generated, a
 * last chunk with the finish reason, then {@code [DONE]}). A streaming client that goes away ends
 * its generation at the next piece of text.
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
            boolean chat,
            String prompt,
            GenerationRequest request,
            java.util.function.Consumer<String> onText)
            throws Exception {
        return chat
                ? generator.generateChat(prompt, request, onText)
                : generator.generate(prompt, request, onText);
    }

    void handle(Context ctx, boolean chat) throws Exception {
        GenerationRequest request = parser.parse(RequestBody.read(ctx, maxRequestBytes), chat);
        String prompt = chat ? generator.chatPrompt().render(request.messages()) : request.prompt();
        Responses.Head head =
                new Responses.Head(
                        (chat ? "chatcmpl-" : "cmpl-")
                                + UUID.randomUUID().toString().replace("-", ""),
                        Instant.now().getEpochSecond(),
                        generator.modelId());
        if (!request.stream()) {
            Completion c = slots.run(() -> run(chat, prompt, request, null));
            ctx.status(200)
                    .contentType("application/json")
                    .result(Responses.completion(head, chat, c).toString());
            return;
        }
        EventStream events = new EventStream(ctx.res());
        try {
            Completion c =
                    slots.run(
                            () ->
                                    run(
                                            chat,
                                            prompt,
                                            request,
                                            piece -> {
                                                if (!piece.isEmpty()) {
                                                    announce(events, head, chat);
                                                    events.send(
                                                            Responses.chunk(
                                                                            head, chat, null, piece,
                                                                            null)
                                                                    .toString());
                                                }
                                            }));
            announce(events, head, chat);
            events.send(Responses.chunk(head, chat, null, null, c.finishReason()).toString());
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
            events.send(Responses.chunk(head, true, "assistant", "", null).toString());
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
