package io.moezoo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.moezoo.cli.serve.ChatPrompt;
import io.moezoo.cli.serve.Completion;
import io.moezoo.cli.serve.GenerationRequest;
import io.moezoo.cli.serve.Server;
import io.moezoo.cli.serve.ServerOptions;
import io.moezoo.cli.serve.TextGenerator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The server's protocol with a scripted model: chat shapes, the bounded queue (503), a client that
 * goes away mid-stream, and the refusals (400, 404, 413).
 */
class ServeProtocolTest {

    /** Answers with the words of the prompt; can be held at the start and slowed down. */
    private static final class ScriptedModel implements TextGenerator {
        final CountDownLatch started = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final CountDownLatch aborted = new CountDownLatch(1);
        volatile boolean hold;
        volatile long pieceMillis;
        volatile int pieces = 3;

        @Override
        public String modelId() {
            return "scripted";
        }

        @Override
        public ChatPrompt chatPrompt() {
            return messages ->
                    messages.stream()
                            .map(m -> m.role() + ": " + m.content())
                            .collect(Collectors.joining("\n"));
        }

        @Override
        public Completion generate(
                String prompt, GenerationRequest request, Consumer<String> onText)
                throws Exception {
            started.countDown();
            if (hold) {
                release.await(30, TimeUnit.SECONDS);
            }
            StringBuilder text = new StringBuilder();
            int n = Math.min(pieces, request.maxTokens());
            try {
                for (int i = 0; i < n; i++) {
                    String piece = (i == 0 ? "" : " ") + "t" + i;
                    text.append(piece);
                    if (onText != null) {
                        onText.accept(piece);
                    }
                    if (pieceMillis > 0) {
                        Thread.sleep(pieceMillis);
                    }
                }
            } catch (RuntimeException e) {
                aborted.countDown();
                throw e;
            }
            return new Completion(text.toString(), 2, n, n == request.maxTokens());
        }
    }

    private static Server start(TextGenerator model, int parallel, int queue) {
        return new Server(model, new ServerOptions("127.0.0.1", 0, 2000, 100, parallel, queue))
                .start();
    }

    @Test
    void chatCompletionsHaveOpenAiShapes() throws Exception {
        try (Server server = start(new ScriptedModel(), 1, 4)) {
            ServeClient client = new ServeClient(server.url());
            String body =
                    "{\"model\":\"scripted\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
                            + "\"max_tokens\":5}";
            ServeClient.Reply reply = client.post("/v1/chat/completions", body);
            assertEquals(200, reply.status(), reply.body());
            JsonObject json = reply.json();
            assertEquals("chat.completion", json.get("object").getAsString());
            assertTrue(json.get("id").getAsString().startsWith("chatcmpl-"));
            JsonObject choice = json.getAsJsonArray("choices").get(0).getAsJsonObject();
            assertEquals("assistant", choice.getAsJsonObject("message").get("role").getAsString());
            assertEquals(
                    "t0 t1 t2", choice.getAsJsonObject("message").get("content").getAsString());
            assertEquals("stop", choice.get("finish_reason").getAsString());
            assertEquals(5, json.getAsJsonObject("usage").get("total_tokens").getAsInt());

            ServeClient.Reply stream =
                    client.post("/v1/chat/completions", body.replace("}]", "}],\"stream\":true"));
            assertEquals(200, stream.status(), stream.body());
            assertTrue(stream.contentType().startsWith("text/event-stream"), stream.contentType());
            List<String> events = stream.events();
            assertEquals("[DONE]", events.get(events.size() - 1));
            StringBuilder content = new StringBuilder();
            for (String event : events.subList(0, events.size() - 1)) {
                JsonObject chunk = JsonParser.parseString(event).getAsJsonObject();
                assertEquals("chat.completion.chunk", chunk.get("object").getAsString());
                JsonObject delta =
                        chunk.getAsJsonArray("choices")
                                .get(0)
                                .getAsJsonObject()
                                .getAsJsonObject("delta");
                if (delta.has("content")) {
                    content.append(delta.get("content").getAsString());
                }
            }
            assertEquals("t0 t1 t2", content.toString());
            JsonObject first = JsonParser.parseString(events.get(0)).getAsJsonObject();
            assertEquals(
                    "assistant",
                    first.getAsJsonArray("choices")
                            .get(0)
                            .getAsJsonObject()
                            .getAsJsonObject("delta")
                            .get("role")
                            .getAsString());
        }
    }

    @Test
    void aFullQueueIsRefusedWith503() throws Exception {
        ScriptedModel model = new ScriptedModel();
        model.hold = true;
        try (Server server = start(model, 1, 1)) {
            ServeClient client = new ServeClient(server.url());
            String body = "{\"prompt\":\"w1\",\"max_tokens\":3}";
            CompletableFuture<ServeClient.Reply> running =
                    CompletableFuture.supplyAsync(() -> post(client, body));
            assertTrue(model.started.await(30, TimeUnit.SECONDS));
            CompletableFuture<ServeClient.Reply> waiting =
                    CompletableFuture.supplyAsync(() -> post(client, body));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (server.pending() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(2, server.pending());
            ServeClient.Reply refused = client.post("/v1/completions", body);
            assertEquals(503, refused.status(), refused.body());
            assertTrue(refused.json().getAsJsonObject("error").has("message"));
            model.release.countDown();
            assertEquals(200, running.get(30, TimeUnit.SECONDS).status());
            assertEquals(200, waiting.get(30, TimeUnit.SECONDS).status());
            assertEquals(0, server.pending());
        }
    }

    private static ServeClient.Reply post(ServeClient client, String body) {
        try {
            return client.post("/v1/completions", body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aClientThatGoesAwayEndsItsGeneration() throws Exception {
        ScriptedModel model = new ScriptedModel();
        model.pieces = 100_000;
        model.pieceMillis = 20;
        try (Server server = start(model, 1, 0)) {
            String first =
                    ServeClient.firstEventThenClose(
                            server.port(),
                            "/v1/completions",
                            "{\"prompt\":\"w1\",\"max_tokens\":100,\"stream\":true}");
            assertNotNull(first);
            assertTrue(first.contains("\"text\":\"t0\""), first);
            // 100 pieces take 2 s or more; the failed write ends the generation before.
            assertTrue(model.aborted.await(10, TimeUnit.SECONDS), "generation not aborted");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.pending() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(0, server.pending());
            assertEquals(1, server.abandoned());
            model.pieces = 2;
            model.pieceMillis = 0;
            ServeClient.Reply next =
                    new ServeClient(server.url())
                            .post("/v1/completions", "{\"prompt\":\"w1\",\"max_tokens\":3}");
            assertEquals(200, next.status(), next.body());
        }
    }

    @Test
    void badRequestsGetOpenAiErrors() throws Exception {
        try (Server server = start(new ScriptedModel(), 1, 4)) {
            ServeClient client = new ServeClient(server.url());
            assertError(client.post("/v1/completions", "{\"prompt\": \"w1\""), 400, null);
            assertError(client.post("/v1/completions", "[1, 2]"), 400, null);
            assertError(client.post("/v1/completions", "{\"max_tokens\": 3}"), 400, "prompt");
            assertError(client.post("/v1/completions", "{\"prompt\": 7}"), 400, "prompt");
            assertError(
                    client.post("/v1/completions", "{\"prompt\":\"w1\",\"max_tokens\":\"x\"}"),
                    400,
                    "max_tokens");
            assertError(
                    client.post("/v1/completions", "{\"prompt\":\"w1\",\"max_tokens\":1.5}"),
                    400,
                    "max_tokens");
            ServeClient.Reply over =
                    client.post("/v1/completions", "{\"prompt\":\"w1\",\"max_tokens\":101}");
            assertError(over, 400, "max_tokens");
            assertTrue(over.body().contains("limit of 100"), over.body());
            assertError(
                    client.post("/v1/completions", "{\"prompt\":\"w1\",\"temperature\":-1}"),
                    400,
                    "temperature");
            assertError(
                    client.post("/v1/completions", "{\"prompt\":\"w1\",\"top_p\":0}"),
                    400,
                    "top_p");
            assertError(
                    client.post("/v1/completions", "{\"prompt\":\"w1\",\"stop_token_ids\":[-1]}"),
                    400,
                    "stop_token_ids");
            assertError(
                    client.post("/v1/completions", "{\"prompt\":\"w1\",\"stop\":[\"\"]}"),
                    400,
                    "stop");
            assertError(
                    client.post("/v1/completions", "{\"prompt\":\"w1\",\"stop\":7}"), 400, "stop");
            assertError(
                    client.post(
                            "/v1/completions",
                            "{\"prompt\":\"w1\",\"stop\":"
                                    + "[\"a\",\"b\",\"c\",\"d\",\"e\",\"f\",\"g\",\"h\","
                                    + "\"i\",\"j\",\"k\",\"l\",\"m\",\"n\",\"o\",\"p\",\"q\"]}"),
                    400,
                    "stop");
            assertError(
                    client.post("/v1/completions", "{\"prompt\":\"w1\",\"stream\":\"yes\"}"),
                    400,
                    "stream");
            assertError(
                    client.post("/v1/chat/completions", "{\"messages\":[{\"role\":\"user\"}]}"),
                    400,
                    "messages");
            String big = "{\"prompt\":\"" + "w1 ".repeat(1000) + "\"}";
            assertError(client.post("/v1/completions", big), 413, null);
            ServeClient.Reply unknown = client.get("/v1/engines");
            assertEquals(404, unknown.status(), unknown.body());
            assertTrue(unknown.json().getAsJsonObject("error").has("message"), unknown.body());
            ServeClient.Reply models = client.get("/v1/models");
            assertEquals(200, models.status());
            assertEquals(
                    "scripted",
                    models.json()
                            .getAsJsonArray("data")
                            .get(0)
                            .getAsJsonObject()
                            .get("id")
                            .getAsString());
        }
    }

    private static void assertError(ServeClient.Reply reply, int status, String param) {
        assertEquals(status, reply.status(), reply.body());
        assertTrue(reply.contentType().startsWith("application/json"), reply.contentType());
        JsonObject error = reply.json().getAsJsonObject("error");
        assertNotNull(error, reply.body());
        assertTrue(error.get("message").getAsString().length() > 0, reply.body());
        if (status == 400) {
            assertEquals("invalid_request_error", error.get("type").getAsString());
        }
        if (param != null) {
            assertEquals(param, error.get("param").getAsString(), reply.body());
        }
    }
}
