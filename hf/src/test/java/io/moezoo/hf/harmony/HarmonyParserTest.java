package io.moezoo.hf.harmony;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The reply parser over hand-written harmony replies, each fed whole, in one-character pieces, and
 * cut into three pieces at every pair of positions: what it passes on per channel, and the messages
 * it reads, must not depend on where the pieces split.
 */
class HarmonyParserTest {

    /** What one parse passed on and read. */
    private record Parse(Map<String, String> streamed, List<HarmonyMessage> messages, String fin) {}

    private static Parse parse(List<String> pieces) {
        Map<String, String> streamed = new LinkedHashMap<>();
        List<HarmonyMessage> ended = new ArrayList<>();
        HarmonyParser parser =
                new HarmonyParser(
                        new HarmonyParser.Listener() {
                            @Override
                            public void content(HarmonyHeader header, String text) {
                                assertFalse(text.isEmpty());
                                streamed.merge(header.channel(), text, String::concat);
                            }

                            @Override
                            public void messageEnded(HarmonyMessage message) {
                                ended.add(message);
                            }
                        });
        for (String piece : pieces) {
            parser.accept(piece);
        }
        parser.finish();
        parser.finish();
        assertEquals(ended, parser.messages());
        return new Parse(streamed, ended, parser.finalText());
    }

    /** Parses the reply whole, char by char, and in three pieces cut at every two positions. */
    private static Parse everySplit(String reply) {
        Parse whole = parse(List.of(reply));
        List<String> chars = new ArrayList<>();
        for (int i = 0; i < reply.length(); i++) {
            chars.add(reply.substring(i, i + 1));
        }
        assertEquals(whole, parse(chars), "one character at a time");
        for (int i = 0; i <= reply.length(); i++) {
            for (int j = i; j <= reply.length(); j++) {
                List<String> pieces =
                        List.of(reply.substring(0, i), reply.substring(i, j), reply.substring(j));
                assertEquals(whole, parse(pieces), "split at " + i + " and " + j);
            }
        }
        return whole;
    }

    private static HarmonyMessage message(String channel, String content) {
        return new HarmonyMessage(new HarmonyHeader("assistant", channel, null, null), content);
    }

    @Test
    void analysisThenFinal() {
        String analysis = "User asks: \"What is 2 + 2?\" Simple arithmetic. Provide answer.";
        String reply =
                "<|channel|>analysis<|message|>"
                        + analysis
                        + "<|end|><|start|>assistant<|channel|>final<|message|>2 + 2 = 4.";
        Parse p = everySplit(reply);
        assertEquals(
                List.of(message("analysis", analysis), message("final", "2 + 2 = 4.")),
                p.messages());
        assertEquals(Map.of("analysis", analysis, "final", "2 + 2 = 4."), p.streamed());
        assertEquals("2 + 2 = 4.", p.fin());
        // The stop token itself, when a caller passes it on, ends the message the same way.
        assertEquals(p, everySplit(reply + "<|return|>"));
    }

    @Test
    void aReplyWithoutAHeaderIsFinal() {
        Parse p = everySplit("Hello there, to=nobody <b>friend</b>.");
        assertEquals(
                List.of(message("final", "Hello there, to=nobody <b>friend</b>.")), p.messages());
        assertEquals("Hello there, to=nobody <b>friend</b>.", p.fin());
        // Text that only looks like the start of a special token is text.
        assertEquals("a <| b < c|> <|end", everySplit("a <| b < c|> <|end").fin());
        // Too short to tell at first: "to" could have begun a recipient.
        assertEquals("to", everySplit("to").fin());
        assertEquals(" tomorrow", everySplit(" tomorrow").fin());
        // A header without a channel means the final channel.
        assertEquals(
                List.of(message("final", "Hi")), everySplit("<|message|>Hi<|end|>").messages());
    }

    @Test
    void toolCallHeadersAreRead() {
        String reply =
                "<|channel|>analysis<|message|>Need to use function get_weather.<|end|>"
                        + "<|start|>assistant<|channel|>commentary to=functions.get_weather"
                        + " <|constrain|>json<|message|>{\"location\":\"San Francisco\"}<|call|>";
        Parse p = everySplit(reply);
        assertEquals(
                List.of(
                        message("analysis", "Need to use function get_weather."),
                        new HarmonyMessage(
                                new HarmonyHeader(
                                        "assistant", "commentary", "functions.get_weather", "json"),
                                "{\"location\":\"San Francisco\"}")),
                p.messages());
        assertEquals("", p.fin());
        // The recipient may stand in the role part of the header, or open the reply.
        HarmonyHeader h =
                everySplit(" to=functions.f<|channel|>commentary<|message|>{}<|call|>")
                        .messages()
                        .get(0)
                        .header();
        assertEquals(new HarmonyHeader("assistant", "commentary", "functions.f", null), h);
        h =
                everySplit("<|end|><|start|>assistant to=python<|channel|>analysis<|message|>1+1")
                        .messages()
                        .get(0)
                        .header();
        assertEquals(new HarmonyHeader("assistant", "analysis", "python", null), h);
    }

    @Test
    void strayStructureIsRepaired() {
        // <|channel|> without <|start|>, text after <|end|> without a header, stray tokens dropped.
        Parse p =
                everySplit(
                        "<|channel|>analysis<|message|>think<|end|>"
                                + "<|channel|>final<|message|>ans<|constrain|>wer<|end|>\n"
                                + " more<|endoftext|>");
        assertEquals(
                List.of(
                        message("analysis", "think"),
                        message("final", "answer"),
                        message("final", "more")),
                p.messages());
        assertEquals("answermore", p.fin());
        // A header cut off by the end of generation is dropped; so is one ended by <|end|>.
        assertEquals(
                List.of(message("analysis", "a")),
                everySplit("<|channel|>analysis<|message|>a<|end|><|start|>assistant<|chan")
                        .messages());
        assertEquals(
                List.of(message("final", "b")),
                everySplit("<|channel|>analysis<|end|><|start|>assistant<|message|>b").messages());
        // Headers never reach the content, however long the reply.
        assertTrue(
                everySplit("<|start|>user<|message|>x")
                        .messages()
                        .get(0)
                        .header()
                        .role()
                        .equals("user"));
    }

    @Test
    void unicodeContentPassesThrough() {
        Parse p = everySplit("<|channel|>final<|message|>héllo 世界 ✓");
        assertEquals("héllo 世界 ✓", p.fin());
    }

    @Test
    void anOverlongHeaderIsContent() {
        String header = "x".repeat(HarmonyParser.MAX_HEADER_CHARS + 1);
        Parse p = parse(List.of("<|end|><|start|>", header, "<|end|>"));
        assertEquals(List.of(message("final", header)), p.messages());
    }

    @Test
    void nothingIsAcceptedAfterFinish() {
        HarmonyParser parser = new HarmonyParser((h, t) -> {});
        parser.accept("<|channel|>final<|message|>a");
        assertEquals("a", parser.finalText());
        assertEquals("", parser.text("analysis"));
        parser.finish();
        assertThrows(IllegalStateException.class, () -> parser.accept("b"));
    }
}
