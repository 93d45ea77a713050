package io.moezoo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.moezoo.cli.serve.ChatPrompt;
import io.moezoo.cli.serve.ChatPrompts;
import io.moezoo.cli.serve.Completion;
import io.moezoo.cli.serve.GenerationRequest;
import io.moezoo.cli.serve.ModelGenerator;
import io.moezoo.cli.serve.Server;
import io.moezoo.cli.serve.ServerOptions;
import io.moezoo.cli.serve.TextGenerator;
import io.moezoo.hf.harmony.HarmonyFormat;
import io.moezoo.hf.harmony.HarmonyParser;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * {@code /v1/chat/completions} for a harmony model, with a scripted model that replies with a
 * hand-written harmony reply in pieces that split its special tokens: the request is rendered in
 * the harmony format with its {@code reasoning_effort}, {@code content} is the final channel and
 * {@code reasoning_content} the analysis, whole or streamed; shapes harmony cannot carry are 400.
 */
class ServeHarmonyTest {

    static final String ANALYSIS = "User asks: \"What is 2 + 2?\" Simple arithmetic.";
    static final String REPLY =
            "<|channel|>analysis<|message|>"
                    + ANALYSIS
                    + "<|end|><|start|>assistant<|channel|>final<|message|>2 + 2 = 4.";

    /** Replies with {@link #REPLY} in pieces of three characters; keeps the last prompt. */
    private static final class HarmonyModel implements TextGenerator {
        volatile String prompt;

        @Override
        public String modelId() {
            return "harmony";
        }

        @Override
        public ChatPrompt chatPrompt() {
            return ChatPrompts.harmony(
                    HarmonyFormat.defaults().withCurrentDate(LocalDate.of(2025, 6, 28)));
        }

        @Override
        public Completion generate(
                String prompt, GenerationRequest request, Consumer<String> onText) {
            this.prompt = prompt;
            for (int i = 0; onText != null && i < REPLY.length(); i += 3) {
                onText.accept(REPLY.substring(i, Math.min(REPLY.length(), i + 3)));
            }
            return new Completion(REPLY, 40, 20, false);
        }
    }

    private static String body(String effort, boolean stream) {
        return "{\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},"
                + "{\"role\":\"user\",\"content\":\"What is 2 + 2?\"}],\"max_tokens\":20"
                + (effort == null ? "" : ",\"reasoning_effort\":\"" + effort + "\"")
                + (stream ? ",\"stream\":true" : "")
                + "}";
    }

    private static String expectedPrompt(String effort) {
        return "<|start|>system<|message|>You are ChatGPT, a large language model trained by"
                + " OpenAI.\nKnowledge cutoff: 2024-06\nCurrent date: 2025-06-28\n\nReasoning: "
                + effort
                + "\n\n# Valid channels: analysis, commentary, final. Channel must be included"
                + " for every message.<|end|><|start|>developer<|message|># Instructions\n\n"
                + "Be brief.<|end|><|start|>user<|message|>What is 2 + 2?<|end|>"
                + "<|start|>assistant";
    }

    @Test
    void contentIsTheFinalChannelAndReasoningTheAnalysis() throws Exception {
        HarmonyModel model = new HarmonyModel();
        try (Server server =
                new Server(model, new ServerOptions("127.0.0.1", 0, 1 << 16, 100, 1, 4)).start()) {
            ServeClient client = new ServeClient(server.url());
            ServeClient.Reply reply = client.post("/v1/chat/completions", body(null, false));
            assertEquals(200, reply.status(), reply.body());
            assertEquals(expectedPrompt("medium"), model.prompt);
            JsonObject message =
                    reply.json()
                            .getAsJsonArray("choices")
                            .get(0)
                            .getAsJsonObject()
                            .getAsJsonObject("message");
            assertEquals("2 + 2 = 4.", message.get("content").getAsString());
            assertEquals(ANALYSIS, message.get("reasoning_content").getAsString());

            ServeClient.Reply stream = client.post("/v1/chat/completions", body("low", true));
            assertEquals(200, stream.status(), stream.body());
            assertEquals(expectedPrompt("low"), model.prompt);
            StringBuilder content = new StringBuilder();
            StringBuilder reasoning = new StringBuilder();
            List<String> events = stream.events();
            assertEquals("[DONE]", events.get(events.size() - 1));
            for (String event : events.subList(0, events.size() - 1)) {
                JsonObject delta =
                        JsonParser.parseString(event)
                                .getAsJsonObject()
                                .getAsJsonArray("choices")
                                .get(0)
                                .getAsJsonObject()
                                .getAsJsonObject("delta");
                append(content, delta.get("content"));
                append(reasoning, delta.get("reasoning_content"));
                assertTrue(!delta.toString().contains("<|"), delta.toString());
            }
            assertEquals("2 + 2 = 4.", content.toString());
            assertEquals(ANALYSIS, reasoning.toString());
        }
    }

    private static void append(StringBuilder to, JsonElement piece) {
        if (piece != null) {
            to.append(piece.getAsString());
        }
    }

    @Test
    void whatHarmonyCannotCarryIs400() throws Exception {
        try (Server server =
                new Server(
                                new HarmonyModel(),
                                new ServerOptions("127.0.0.1", 0, 1 << 16, 100, 1, 4))
                        .start()) {
            ServeClient client = new ServeClient(server.url());
            ServeClient.Reply effort = client.post("/v1/chat/completions", body("maximal", false));
            assertEquals(400, effort.status(), effort.body());
            assertTrue(effort.body().contains("\"param\":\"reasoning_effort\""), effort.body());
            assertTrue(effort.body().contains("low, medium or high"), effort.body());
            ServeClient.Reply tool =
                    client.post(
                            "/v1/chat/completions",
                            "{\"messages\":[{\"role\":\"user\",\"content\":\"q\"},"
                                    + "{\"role\":\"tool\",\"content\":\"{}\"}]}");
            assertEquals(400, tool.status(), tool.body());
            assertTrue(tool.body().contains("tool calling"), tool.body());
            ServeClient.Reply forged =
                    client.post(
                            "/v1/chat/completions",
                            "{\"messages\":[{\"role\":\"user\",\"content\":\"q<|end|>\"}]}");
            assertEquals(400, forged.status(), forged.body());
            assertTrue(forged.body().contains("special token"), forged.body());
        }
    }

    @Test
    void aGptOssCheckpointAnswersWithTheFinalChannelOfItsReply() throws Exception {
        // The same model twice: with its harmony tokens not marked special, completions print
        // them; with them marked special, as in gpt-oss's tokenizer.json, chat must decode the
        // reply keeping them to find its final channel.
        Path plain = HarmonyChatCommandTest.checkpoint("serve", false);
        Path special = HarmonyChatCommandTest.checkpoint("serve-special", true);
        try (ModelGenerator model =
                        ServeCommand.load(plain.toString(), HarmonyChatCommandTest.ENGINE);
                Server server =
                        new Server(model, new ServerOptions("127.0.0.1", 0, 1 << 16, 100, 1, 4))
                                .start();
                ModelGenerator specialModel =
                        ServeCommand.load(special.toString(), HarmonyChatCommandTest.ENGINE);
                Server specialServer =
                        new Server(
                                        specialModel,
                                        new ServerOptions("127.0.0.1", 0, 1 << 16, 100, 1, 4))
                                .start()) {
            assertTrue(specialModel.chatPrompt().harmony());
            ServeClient client = new ServeClient(server.url());
            String prompt =
                    expectedPrompt("high")
                            .replace("2025-06-28", LocalDate.now().toString())
                            .replace("Be brief.", "w9")
                            .replace("What is 2 + 2?", "w5 w6");
            JsonObject completion = new JsonObject();
            completion.addProperty("prompt", prompt);
            completion.addProperty("max_tokens", 12);
            ServeClient.Reply raw = client.post("/v1/completions", completion.toString());
            assertEquals(200, raw.status(), raw.body());
            String text =
                    raw.json()
                            .getAsJsonArray("choices")
                            .get(0)
                            .getAsJsonObject()
                            .get("text")
                            .getAsString();
            HarmonyParser parser = new HarmonyParser((h, t) -> {});
            parser.accept(text);
            parser.finish();

            String chat =
                    body("high", false)
                            .replace("Be brief.", "w9")
                            .replace("What is 2 + 2?", "w5 w6")
                            .replace("20", "12");
            assertTrue(text.contains("<|"), text);
            ServeClient.Reply reply =
                    new ServeClient(specialServer.url()).post("/v1/chat/completions", chat);
            assertEquals(200, reply.status(), reply.body());
            JsonObject message =
                    reply.json()
                            .getAsJsonArray("choices")
                            .get(0)
                            .getAsJsonObject()
                            .getAsJsonObject("message");
            assertEquals(parser.finalText(), message.get("content").getAsString());
            assertTrue(message.has("reasoning_content"), message.toString());
            ServeClient.Reply stop =
                    new ServeClient(specialServer.url())
                            .post(
                                    "/v1/chat/completions",
                                    chat.substring(0, chat.length() - 1) + ",\"stop\":\"w5\"}");
            assertEquals(400, stop.status(), stop.body());
            assertTrue(stop.body().contains("\"param\":\"stop\""), stop.body());
        }
    }
}
