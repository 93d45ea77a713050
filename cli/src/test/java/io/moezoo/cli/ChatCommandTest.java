package io.moezoo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moezoo.hf.ChatTemplate;
import io.moezoo.translators.text.ChatMessage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code moe-zoo chat} on a tiny OLMoE checkpoint with a WordLevel tokenizer and a simple chat
 * template: each answer is what {@code generate} continues the rendered conversation with, the
 * history is cut when it would not fit, a checkpoint without a template is refused.
 */
class ChatCommandTest {

    /** Role markers as words of the fixture's vocabulary; user w1, assistant w2, system w3. */
    static final String TEMPLATE =
            "{% for m in messages %}{% if m.role == 'user' %}w1 {% elif m.role == 'assistant'"
                    + " %}w2 {% else %}w3 {% endif %}{{ m.content | trim }} {% endfor %}"
                    + "{% if add_generation_prompt %}w2{% endif %}";

    /** What one run of the CLI printed. */
    record Result(int code, String out, String err) {}

    /** Runs the CLI with a standard input (one run at a time: it swaps System.in). */
    static synchronized Result run(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        InputStream saved = System.in;
        System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        try {
            int code = MoeZooCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
            return new Result(code, out.toString(), err.toString());
        } finally {
            System.setIn(saved);
        }
    }

    private static Path checkpoint(String name, boolean template) throws Exception {
        Path source = Paths.get("..", "hf", "src", "test", "resources", "fixtures", "olmoe");
        Path dir = Paths.get("target", "chat", name);
        Files.createDirectories(dir);
        for (String file : new String[] {"config.json", "model.safetensors"}) {
            Files.copy(
                    source.resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        StringBuilder vocab = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            vocab.append(i == 0 ? "" : ",").append("\"w").append(i).append("\":").append(i);
        }
        Files.writeString(
                dir.resolve("tokenizer.json"),
                "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":[],"
                        + "\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"Whitespace\"},"
                        + "\"post_processor\":null,\"decoder\":null,\"model\":{\"type\":"
                        + "\"WordLevel\",\"vocab\":{"
                        + vocab
                        + "},\"unk_token\":\"w0\"}}");
        Files.deleteIfExists(dir.resolve("tokenizer_config.json"));
        if (template) {
            Files.writeString(
                    dir.resolve("tokenizer_config.json"),
                    "{\"chat_template\": \""
                            + TEMPLATE.replace("'", "\\u0027")
                            + "\", \"eos_token\": \"w63\"}");
        }
        return dir;
    }

    private static String render(Path dir, List<ChatMessage> messages) throws Exception {
        return ChatTemplate.read(dir).render(messages, true);
    }

    @Test
    void twoTurnsStreamWhatGenerateGivesForTheRenderedConversation() throws Exception {
        Path dir = checkpoint("two-turns", true);
        Result chat =
                run(
                        "w5 w6\nw7\n",
                        "chat",
                        dir.toString(),
                        "--system",
                        "w9",
                        "--max-new-tokens",
                        "3");
        assertEquals(0, chat.code(), chat.err());
        String[] answers = chat.out().split("\\R");
        assertEquals(2, answers.length, chat.out());

        String first = render(dir, List.of(ChatMessage.system("w9"), ChatMessage.user("w5 w6")));
        Result gen1 = run("", "generate", dir.toString(), first, "--max-new-tokens", "3");
        assertEquals(0, gen1.code(), gen1.err());
        assertEquals(gen1.out().strip(), answers[0].strip());

        String second =
                render(
                        dir,
                        List.of(
                                ChatMessage.system("w9"),
                                ChatMessage.user("w5 w6"),
                                ChatMessage.assistant(answers[0]),
                                ChatMessage.user("w7")));
        Result gen2 = run("", "generate", dir.toString(), second, "--max-new-tokens", "3");
        assertEquals(gen2.out().strip(), answers[1].strip());
        // /exit ends the chat: nothing after it is answered.
        Result exit = run("w5\n/exit\nw6\n", "chat", dir.toString(), "--max-new-tokens", "2");
        assertEquals(0, exit.code(), exit.err());
        assertEquals(1, exit.out().split("\\R").length, exit.out());
    }

    @Test
    void theHistoryIsCutWhenItWouldNotFit() throws Exception {
        Path dir = checkpoint("history", true);
        // Each exchange renders to 2 + 3 user words + 1 + 2 answer words = 8 tokens; the system
        // message 2, the generation prompt 1. A budget of 14 holds one exchange and a new turn
        // (2 + 8 + 4 = 14) but not two (22).
        String turns = "w5 w6 w7\nw8 w9 w10\nw11 w12 w13\n";
        Result cut =
                run(
                        turns,
                        "chat",
                        dir.toString(),
                        "--system",
                        "w20",
                        "--max-new-tokens",
                        "2",
                        "--ignore-eos",
                        "--max-history-tokens",
                        "14");
        assertEquals(0, cut.code(), cut.err());
        String[] answers = cut.out().split("\\R");
        assertEquals(3, answers.length, cut.out());
        // The third answer continues the conversation without the first exchange.
        String kept =
                render(
                        dir,
                        List.of(
                                ChatMessage.system("w20"),
                                ChatMessage.user("w8 w9 w10"),
                                ChatMessage.assistant(answers[1]),
                                ChatMessage.user("w11 w12 w13")));
        Result gen =
                run("", "generate", dir.toString(), kept, "--max-new-tokens", "2", "--ignore-eos");
        assertEquals(gen.out().strip(), answers[2].strip());
        // A turn that cannot fit even alone is refused with a message.
        Result tooLong =
                run(
                        "w1 w2 w3 w4 w5 w6 w7 w8\n",
                        "chat",
                        dir.toString(),
                        "--max-new-tokens",
                        "2",
                        "--max-history-tokens",
                        "5");
        assertEquals(1, tooLong.code());
        assertTrue(tooLong.err().contains("--max-history-tokens"), tooLong.err());
    }

    @Test
    void aCheckpointWithoutATemplateIsRefused() throws Exception {
        Path dir = checkpoint("no-template", false);
        Result r = run("w5\n", "chat", dir.toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("no chat template"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }
}
