package io.moezoo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.moezoo.cli.serve.ModelGenerator;
import io.moezoo.cli.serve.Server;
import io.moezoo.cli.serve.ServerOptions;
import io.moezoo.hf.HfBlockFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /v1/chat/completions} on a checkpoint with a chat template: the answer is the completion
 * of the rendered conversation, streamed or not; a role the template refuses is a 400.
 */
class ServeChatTest {

    /** Contents joined by spaces, then w9 as the generation prompt; no system role. */
    private static final String TEMPLATE =
            "{% if messages[0]['role'] == 'system' %}"
                    + "{{ raise_exception('System role not supported') }}{% endif %}"
                    + "{% for m in messages %}{{ m['content'] }} {% endfor %}"
                    + "{% if add_generation_prompt %}w9{% endif %}";

    private static ModelGenerator model;
    private static Server server;
    private static ServeClient client;

    @BeforeAll
    static void start() throws Exception {
        Path dir = WordModel.write(Paths.get("target", "serve", "olmoe-chat"));
        JsonObject config = new JsonObject();
        config.addProperty("chat_template", TEMPLATE);
        Files.writeString(dir.resolve("tokenizer_config.json"), config.toString());
        model = ServeCommand.load(dir.toString(), HfBlockFactory.defaultEngine());
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

    private static String text(ServeClient.Reply reply, boolean chat) {
        assertEquals(200, reply.status(), reply.body());
        JsonObject choice = reply.json().getAsJsonArray("choices").get(0).getAsJsonObject();
        return chat
                ? choice.getAsJsonObject("message").get("content").getAsString()
                : choice.get("text").getAsString();
    }

    @Test
    void theAnswerIsTheCompletionOfTheRenderedConversation() throws Exception {
        String messages =
                "[{\"role\":\"user\",\"content\":\"w5 w17\"},"
                        + "{\"role\":\"assistant\",\"content\":\"w3\"},"
                        + "{\"role\":\"user\",\"content\":\"w42\"}]";
        String chat =
                text(
                        client.post(
                                "/v1/chat/completions",
                                "{\"messages\":" + messages + ",\"max_tokens\":6}"),
                        true);
        String completion =
                text(
                        client.post(
                                "/v1/completions",
                                "{\"prompt\":\"w5 w17 w3 w42 w9\",\"max_tokens\":6}"),
                        false);
        assertEquals(completion, chat);
        ServeClient.Reply streamed =
                client.post(
                        "/v1/chat/completions",
                        "{\"messages\":" + messages + ",\"max_tokens\":6,\"stream\":true}");
        assertEquals(200, streamed.status(), streamed.body());
        StringBuilder deltas = new StringBuilder();
        for (String event : streamed.events()) {
            if (event.equals("[DONE]")) {
                continue;
            }
            JsonObject delta =
                    JsonParser.parseString(event)
                            .getAsJsonObject()
                            .getAsJsonArray("choices")
                            .get(0)
                            .getAsJsonObject()
                            .getAsJsonObject("delta");
            if (delta.has("content")) {
                deltas.append(delta.get("content").getAsString());
            }
        }
        assertEquals(chat, deltas.toString());
    }

    @Test
    void aChatWithoutMaxTokensMayUseWhatTheContextLeaves() throws Exception {
        // The context is 64 tokens; the rendered prompt "w5 w17 w3 w42 w9" is 5. With a server
        // limit of 100 the default is the 59 tokens left, not a refusal and not 16.
        try (Server roomy =
                new Server(model, new ServerOptions("127.0.0.1", 0, 1 << 20, 100, 1, 16)).start()) {
            ServeClient on = new ServeClient(roomy.url());
            ServeClient.Reply chat =
                    on.post(
                            "/v1/chat/completions",
                            "{\"messages\":[{\"role\":\"user\",\"content\":\"w5 w17\"},"
                                    + "{\"role\":\"assistant\",\"content\":\"w3\"},"
                                    + "{\"role\":\"user\",\"content\":\"w42\"}]}");
            String answer = text(chat, true);
            String completion =
                    text(
                            on.post(
                                    "/v1/completions",
                                    "{\"prompt\":\"w5 w17 w3 w42 w9\",\"max_tokens\":59}"),
                            false);
            assertEquals(completion, answer);
            int tokens = chat.json().getAsJsonObject("usage").get("completion_tokens").getAsInt();
            assertTrue(tokens <= 59, "tokens " + tokens);
            String finish =
                    chat.json()
                            .getAsJsonArray("choices")
                            .get(0)
                            .getAsJsonObject()
                            .get("finish_reason")
                            .getAsString();
            assertEquals(tokens == 59 ? "length" : "stop", finish);
        }
    }

    @Test
    void conversationsTheTemplateRefusesAre400() throws Exception {
        ServeClient.Reply system =
                client.post(
                        "/v1/chat/completions",
                        "{\"messages\":[{\"role\":\"system\",\"content\":\"w1\"},"
                                + "{\"role\":\"user\",\"content\":\"w2\"}]}");
        assertEquals(400, system.status(), system.body());
        assertTrue(system.body().contains("System role not supported"), system.body());
        ServeClient.Reply role =
                client.post(
                        "/v1/chat/completions",
                        "{\"messages\":[{\"role\":\"narrator\",\"content\":\"w1\"}]}");
        assertEquals(400, role.status(), role.body());
        assertTrue(role.body().contains("narrator"), role.body());
    }
}
