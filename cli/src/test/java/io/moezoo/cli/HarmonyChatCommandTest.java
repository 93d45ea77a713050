package io.moezoo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moezoo.cli.ChatCommandTest.Result;
import io.moezoo.hf.harmony.HarmonyParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

/**
 * {@code moe-zoo chat} on the tiny gpt_oss checkpoint: the conversation is rendered in the harmony
 * format (the prompts below are written out by hand), the reply is split into channels and only the
 * final channel is printed and kept in the history. The expected answers come from {@code generate}
 * on the hand-written prompts: its tokenizer marks the harmony tokens as added but not special, so
 * that {@code generate} prints them, and the answer is the final channel of its text up to the
 * first stop token.
 */
class HarmonyChatCommandTest {

    /** The harmony tokens at ids 55..63 of the 64-word vocabulary; w0 … w54 before them. */
    private static final String[] SPECIALS = {
        "<|return|>",
        "<|constrain|>",
        "<|channel|>",
        "<|start|>",
        "<|end|>",
        "<|message|>",
        "<|call|>",
        "<|startoftext|>",
        "<|endoftext|>"
    };

    /** The engine the chat runs on (the default, memory-mapped one). */
    static final String ENGINE = "MoeJava";

    /**
     * Writes the checkpoint.
     *
     * @param name its directory under target/harmony-chat
     * @param special whether the harmony tokens are marked special (as in gpt-oss's own
     *     tokenizer.json; decoding that skips special tokens then drops them)
     * @return the directory
     */
    static Path checkpoint(String name, boolean special) throws Exception {
        Path source = Paths.get("..", "hf", "src", "test", "resources", "fixtures", "gpt_oss");
        Path dir = Paths.get("target", "harmony-chat", name);
        Files.createDirectories(dir);
        for (String file : new String[] {"config.json", "model.safetensors"}) {
            Files.copy(
                    source.resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        StringBuilder vocab = new StringBuilder();
        StringBuilder added = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            String token = i < 55 ? "w" + i : SPECIALS[i - 55];
            vocab.append(i == 0 ? "" : ",").append('"').append(token).append("\":").append(i);
            if (i >= 55) {
                added.append(i == 55 ? "" : ",")
                        .append("{\"id\":")
                        .append(i)
                        .append(",\"content\":\"")
                        .append(token)
                        .append("\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,")
                        .append("\"normalized\":false,\"special\":")
                        .append(special)
                        .append('}');
            }
        }
        Files.writeString(
                dir.resolve("tokenizer.json"),
                "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":["
                        + added
                        + "],\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"Whitespace\"},"
                        + "\"post_processor\":null,\"decoder\":null,\"model\":{\"type\":"
                        + "\"WordLevel\",\"vocab\":{"
                        + vocab
                        + "},\"unk_token\":\"w0\"}}");
        return dir;
    }

    private static String system(String effort) {
        return "<|start|>system<|message|>You are ChatGPT, a large language model trained by"
                + " OpenAI.\nKnowledge cutoff: 2024-06\nCurrent date: "
                + LocalDate.now()
                + "\n\nReasoning: "
                + effort
                + "\n\n# Valid channels: analysis, commentary, final. Channel must be included"
                + " for every message.<|end|>";
    }

    /** What generate continues a prompt with, as printed (special tokens kept). */
    private static String generate(Path dir, String prompt, int maxNewTokens) {
        Result r =
                ChatCommandTest.run(
                        "",
                        "generate",
                        dir.toString(),
                        prompt,
                        "--max-new-tokens",
                        String.valueOf(maxNewTokens),
                        "--engine",
                        ENGINE);
        assertEquals(0, r.code(), r.err());
        return r.out().substring(0, r.out().length() - System.lineSeparator().length());
    }

    /** The final channel of a reply, cut at the first stop token. */
    private static String finalChannel(String reply) {
        for (String stop : new String[] {"<|return|>", "<|call|>"}) {
            int at = reply.indexOf(stop);
            if (at >= 0) {
                reply = reply.substring(0, at);
            }
        }
        HarmonyParser parser = new HarmonyParser((h, t) -> {});
        parser.accept(reply);
        parser.finish();
        return parser.finalText();
    }

    @Test
    void twoTurnsShowAndKeepTheFinalChannel() throws Exception {
        Path dir = checkpoint("two-turns", false);
        Result chat =
                ChatCommandTest.run(
                        "w5 w6\nw7\n",
                        "chat",
                        dir.toString(),
                        "--system",
                        "w9",
                        "--reasoning",
                        "high",
                        "--max-new-tokens",
                        "12",
                        "--engine",
                        ENGINE);
        assertEquals(0, chat.code(), chat.err());
        String[] answers = chat.out().split("\\R", -1);
        assertEquals(3, answers.length, chat.out());
        assertFalse(chat.out().contains("<|"), chat.out());

        String first =
                system("high")
                        + "<|start|>developer<|message|># Instructions\n\nw9<|end|>"
                        + "<|start|>user<|message|>w5 w6<|end|><|start|>assistant";
        String reply1 = generate(dir, first, 12);
        // The reply has a header cut off by the token limit: only the text before it is final.
        assertTrue(reply1.contains("<|channel|>"), reply1);
        String answer1 = finalChannel(reply1);
        assertEquals(answer1, answers[0]);

        String second =
                first
                        + "<|channel|>final<|message|>"
                        + answer1
                        + "<|end|><|start|>user<|message|>w7<|end|><|start|>assistant";
        String reply2 = generate(dir, second, 12);
        assertTrue(reply2.contains("<|call|>"), reply2);
        assertEquals(finalChannel(reply2), answers[1]);

        // With the harmony tokens marked special, as in gpt-oss's tokenizer.json, the ids and so
        // the answers are the same: chat decodes the reply keeping its special tokens.
        Result special =
                ChatCommandTest.run(
                        "w5 w6\nw7\n",
                        "chat",
                        checkpoint("two-turns-special", true).toString(),
                        "--system",
                        "w9",
                        "--reasoning",
                        "high",
                        "--max-new-tokens",
                        "12",
                        "--engine",
                        ENGINE);
        assertEquals(0, special.code(), special.err());
        assertEquals(chat.out(), special.out());
    }

    @Test
    void harmonyOptionsAreCheckedAndOnlyForGptOss() throws Exception {
        Path dir = checkpoint("options", false);
        Result effort =
                ChatCommandTest.run("w5\n", "chat", dir.toString(), "--reasoning", "extreme");
        assertEquals(1, effort.code());
        assertTrue(
                effort.err().contains("--reasoning must be low, medium or high, got 'extreme'"),
                effort.err());
        Path olmoe = WordModel.write(Paths.get("target", "harmony-chat", "olmoe"));
        Files.writeString(
                olmoe.resolve("tokenizer_config.json"),
                "{\"chat_template\": \"{% for m in messages %}{{ m.content }}{% endfor %}\"}");
        Result notHarmony =
                ChatCommandTest.run("w5\n", "chat", olmoe.toString(), "--show-analysis");
        assertEquals(1, notHarmony.code());
        assertTrue(notHarmony.err().contains("gpt-oss checkpoints"), notHarmony.err());
    }
}
