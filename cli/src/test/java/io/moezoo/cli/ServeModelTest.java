package io.moezoo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.moezoo.cli.serve.ModelGenerator;
import io.moezoo.cli.serve.Server;
import io.moezoo.cli.serve.ServerOptions;
import io.moezoo.hf.HfBlockFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code moe-zoo serve} on a tiny checkpoint (the OLMoE fixture with a word-level tokenizer): the
 * completions equal what {@code generate} prints, streamed or not, alone or concurrently.
 */
class ServeModelTest {

    private static Path dir;
    private static ModelGenerator model;
    private static Server server;
    private static ServeClient client;

    @BeforeAll
    static void start() throws Exception {
        dir = WordModel.write(Paths.get("target", "serve", "olmoe"));
        model = ServeCommand.load(dir.toString(), HfBlockFactory.defaultEngine(), 4);
        server = new Server(model, new ServerOptions("127.0.0.1", 0, 1 << 20, 40, 1, 16)).start();
        client = new ServeClient(server.url());
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        if (model != null) {
            model.close();
        }
    }

    private static String generate(String prompt, int maxNewTokens) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code =
                MoeZooCli.run(
                        new String[] {
                            "generate",
                            dir.toString(),
                            prompt,
                            "--max-new-tokens",
                            Integer.toString(maxNewTokens)
                        },
                        new PrintWriter(out, true),
                        new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
        String text = out.toString();
        assertTrue(text.endsWith("\n"), text);
        return text.substring(0, text.length() - 1);
    }

    private static String complete(ServeClient on, String prompt, int maxTokens) throws Exception {
        ServeClient.Reply reply =
                on.post(
                        "/v1/completions",
                        "{\"model\":\"olmoe\",\"prompt\":\""
                                + prompt
                                + "\",\"max_tokens\":"
                                + maxTokens
                                + ",\"temperature\":0}");
        assertEquals(200, reply.status(), reply.body());
        return reply.json()
                .getAsJsonArray("choices")
                .get(0)
                .getAsJsonObject()
                .get("text")
                .getAsString();
    }

    @Test
    void listsTheModel() throws Exception {
        ServeClient.Reply reply = client.get("/v1/models");
        assertEquals(200, reply.status());
        JsonObject json = reply.json();
        assertEquals("list", json.get("object").getAsString());
        JsonObject entry = json.getAsJsonArray("data").get(0).getAsJsonObject();
        assertEquals("olmoe", entry.get("id").getAsString());
        assertEquals("model", entry.get("object").getAsString());
        assertEquals("moezoo", entry.get("owned_by").getAsString());
    }

    @Test
    void aCompletionIsWhatGeneratePrints() throws Exception {
        String prompt = "w5 w17 w42";
        ServeClient.Reply reply =
                client.post(
                        "/v1/completions",
                        "{\"prompt\":\"" + prompt + "\",\"max_tokens\":8,\"temperature\":0}");
        assertEquals(200, reply.status(), reply.body());
        JsonObject json = reply.json();
        assertEquals("text_completion", json.get("object").getAsString());
        assertEquals("olmoe", json.get("model").getAsString());
        JsonObject choice = json.getAsJsonArray("choices").get(0).getAsJsonObject();
        String text = choice.get("text").getAsString();
        assertFalse(text.isEmpty());
        assertEquals(generate(prompt, 8), text);
        JsonObject usage = json.getAsJsonObject("usage");
        assertEquals(3, usage.get("prompt_tokens").getAsInt());
        int tokens = usage.get("completion_tokens").getAsInt();
        assertEquals(tokens == 8 ? "length" : "stop", choice.get("finish_reason").getAsString());
        assertEquals(3 + tokens, usage.get("total_tokens").getAsInt());
    }

    @Test
    void streamedPiecesAddUpToTheCompletion() throws Exception {
        String prompt = "w9 w3 w60 w7";
        String whole = complete(client, prompt, 12);
        ServeClient.Reply reply =
                client.post(
                        "/v1/completions",
                        "{\"prompt\":\"" + prompt + "\",\"max_tokens\":12,\"stream\":true}");
        assertEquals(200, reply.status(), reply.body());
        assertTrue(reply.contentType().startsWith("text/event-stream"), reply.contentType());
        List<String> events = reply.events();
        assertTrue(events.size() >= 3, reply.body());
        assertEquals("[DONE]", events.get(events.size() - 1));
        String[] streamed = streamed(reply);
        assertEquals(whole, streamed[0]);
        assertNotNull(streamed[1]);
    }

    /** The text of a streamed completion's chunks, and the finish reason of its last one. */
    private static String[] streamed(ServeClient.Reply reply) {
        StringBuilder text = new StringBuilder();
        String finish = null;
        for (String event : reply.events()) {
            if (event.equals("[DONE]")) {
                continue;
            }
            JsonObject choice =
                    JsonParser.parseString(event)
                            .getAsJsonObject()
                            .getAsJsonArray("choices")
                            .get(0)
                            .getAsJsonObject();
            text.append(choice.get("text").getAsString());
            if (!choice.get("finish_reason").isJsonNull()) {
                finish = choice.get("finish_reason").getAsString();
            }
        }
        return new String[] {text.toString(), finish};
    }

    /** The completion of a prompt with stop strings, streamed or not, and its finish reason. */
    private static String[] completeWithStop(String prompt, String stop, boolean stream)
            throws Exception {
        ServeClient.Reply reply =
                client.post(
                        "/v1/completions",
                        "{\"prompt\":\""
                                + prompt
                                + "\",\"max_tokens\":12,\"temperature\":0,\"stop\":"
                                + stop
                                + ",\"stream\":"
                                + stream
                                + "}");
        assertEquals(200, reply.status(), reply.body());
        if (!stream) {
            JsonObject choice = reply.json().getAsJsonArray("choices").get(0).getAsJsonObject();
            return new String[] {
                choice.get("text").getAsString(), choice.get("finish_reason").getAsString()
            };
        }
        return streamed(reply);
    }

    @Test
    void stopStringsEndTheCompletionBeforeTheFirstOne() throws Exception {
        String prompt = "w9 w3 w60 w7";
        String whole = complete(client, prompt, 12);
        String[] words = whole.trim().split(" ");
        assertTrue(words.length >= 4, whole);
        // The oracle: the whole completion cut where the stop string first occurs.
        String stop = " " + words[2];
        String expected = whole.substring(0, whole.indexOf(stop));
        for (boolean stream : new boolean[] {false, true}) {
            String[] one = completeWithStop(prompt, "\"" + stop + "\"", stream);
            assertEquals(expected, one[0], "stream " + stream);
            assertEquals("stop", one[1], "stream " + stream);
            String[] several =
                    completeWithStop(
                            prompt,
                            "[\"never-said\", \"" + stop + "\", \"" + words[3] + "\"]",
                            stream);
            assertEquals(expected, several[0], "stream " + stream);
        }
        String[] absent = completeWithStop(prompt, "\"w999\"", true);
        assertEquals(whole, absent[0]);
    }

    @Test
    void concurrentRequestsDoNotMix() throws Exception {
        String[] prompts = {"w5 w17 w42", "w1 w2", "w33 w8 w8 w50 w11", "w63"};
        List<String> alone = new ArrayList<>();
        for (String prompt : prompts) {
            alone.add(complete(client, prompt, 10));
        }
        // Four generations at once on the same model, twice over.
        try (Server parallel =
                new Server(model, new ServerOptions("127.0.0.1", 0, 1 << 20, 40, 4, 16)).start()) {
            ServeClient on = new ServeClient(parallel.url());
            List<CompletableFuture<String>> futures = new ArrayList<>();
            for (int round = 0; round < 2; round++) {
                for (String prompt : prompts) {
                    futures.add(
                            CompletableFuture.supplyAsync(
                                    () -> {
                                        try {
                                            return complete(on, prompt, 10);
                                        } catch (Exception e) {
                                            throw new IllegalStateException(e);
                                        }
                                    }));
                }
            }
            for (int i = 0; i < futures.size(); i++) {
                assertEquals(
                        alone.get(i % prompts.length),
                        futures.get(i).get(60, TimeUnit.SECONDS),
                        prompts[i % prompts.length]);
            }
        }
    }

    @Test
    void refusalsNameTheNumbers() throws Exception {
        ServeClient.Reply tooLong =
                client.post(
                        "/v1/completions",
                        "{\"prompt\":\"" + "w3 ".repeat(40) + "\",\"max_tokens\":30}");
        assertEquals(400, tooLong.status(), tooLong.body());
        String message = tooLong.json().getAsJsonObject("error").get("message").getAsString();
        assertTrue(message.contains("40 tokens") && message.contains("64"), message);
        ServeClient.Reply chat =
                client.post(
                        "/v1/chat/completions",
                        "{\"messages\":[{\"role\":\"user\",\"content\":\"w1\"}]}");
        assertEquals(400, chat.status(), chat.body());
        assertTrue(chat.body().contains("no chat template"), chat.body());
        ServeClient.Reply outside =
                client.post("/v1/completions", "{\"prompt\":\"w1\",\"stop_token_ids\":[64]}");
        assertEquals(400, outside.status(), outside.body());
    }

    @Test
    void aClientThatGoesAwayDoesNotBlockTheNextRequest() throws Exception {
        String first =
                ServeClient.firstEventThenClose(
                        server.port(),
                        "/v1/completions",
                        "{\"prompt\":\"w5 w17\",\"max_tokens\":40,\"stream\":true}");
        assertNotNull(first);
        CompletableFuture<String> next =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return complete(client, "w5 w17 w42", 8);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
        assertEquals(generate("w5 w17 w42", 8), next.get(30, TimeUnit.SECONDS));
    }

    @Test
    void theCommandPrintsWhereItServesAndNothingElse() throws Exception {
        Path out = Files.createTempFile(dir.getParent(), "serve-out-", ".txt");
        Path err = Files.createTempFile(dir.getParent(), "serve-err-", ".txt");
        Process child = ChildCli.startAsShipped(out, err, "serve", dir.toString(), "--port", "0");
        try {
            Pattern line =
                    Pattern.compile(
                            "serving olmoe on (http://127\\.0\\.0\\.1:(\\d+)) \\(OpenAI API:"
                                    + " /v1/models, /v1/completions, /v1/chat/completions\\)\n");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            Matcher m = line.matcher(Files.readString(out));
            while (!m.find() && System.nanoTime() < deadline) {
                assertTrue(child.isAlive(), Files.readString(err));
                Thread.sleep(50);
                m = line.matcher(Files.readString(out));
            }
            assertTrue(m.find(0), Files.readString(out) + " / " + Files.readString(err));
            assertTrue(Integer.parseInt(m.group(2)) > 0);
            ServeClient child1 = new ServeClient(m.group(1));
            assertEquals(200, child1.get("/v1/models").status());
            assertEquals(generate("w5 w17 w42", 8), complete(child1, "w5 w17 w42", 8));
            // Jetty and Javalin say nothing in a default run.
            String errors = Files.readString(err).replace(ChildCli.INCUBATOR_BANNER, "");
            assertEquals("", errors);
        } finally {
            child.destroy();
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
        }
    }
}
