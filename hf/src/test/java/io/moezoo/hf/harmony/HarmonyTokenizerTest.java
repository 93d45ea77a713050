package io.moezoo.hf.harmony;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.moezoo.translators.text.ChatMessage;
import io.moezoo.translators.text.TextStreamer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * DJL's HuggingFaceTokenizer on a tokenizer.json in the shape of gpt-oss's (written by {@code
 * src/test/python/make_harmony_tokenizer.py}: byte-level BPE, the o200k pre-tokenizer, the harmony
 * special tokens at their real ids): every special token is one token with its id, and rendered
 * harmony prompts encode and decode back to themselves.
 */
class HarmonyTokenizerTest {

    /** The fixture. */
    static final Path TOKENIZER =
            Paths.get("src", "test", "resources", "harmony", "tokenizer.json");

    private static HuggingFaceTokenizer tokenizer;

    @BeforeAll
    static void load() throws Exception {
        assertTrue(Files.size(TOKENIZER) < 200_000, "the fixture stays small");
        // As chat encodes a rendered prompt: the prompt writes its special tokens itself.
        tokenizer =
                HuggingFaceTokenizer.builder()
                        .optTokenizerPath(TOKENIZER)
                        .optAddSpecialTokens(false)
                        .optTruncation(false)
                        .build();
    }

    @AfterAll
    static void close() {
        if (tokenizer != null) {
            tokenizer.close();
        }
    }

    @Test
    void everySpecialTokenIsOneTokenWithItsHarmonyId() {
        for (HarmonyToken t : HarmonyToken.values()) {
            assertArrayEquals(new long[] {t.id()}, tokenizer.encode(t.text()).getIds(), t.text());
            assertEquals(t.text(), tokenizer.decode(new long[] {t.id()}, false));
        }
        assertArrayEquals(new long[] {200013}, tokenizer.encode("<|reserved_200013|>").getIds());
        // Between ordinary text too, whatever the pre-tokenizer would have done with '<' and '|'.
        long[] ids = tokenizer.encode("a<|end|>b").getIds();
        assertEquals(3, ids.length, Arrays.toString(ids));
        assertEquals(HarmonyToken.END.id(), ids[1]);
    }

    @Test
    void harmonyRepliesStopOnReturnAndCall() {
        assertEquals(
                java.util.Set.of(200002L, 200012L),
                HarmonyFormat.stopTokenIds(text -> tokenizer.encode(text).getIds()));
        // gpt-oss's generation_config.json lists 200002 and 199999; <|call|> joins them.
        assertEquals(
                java.util.Set.of(200002L, 199999L, 200012L),
                new io.moezoo.hf.GenerationDefaults(
                                java.util.Set.of(200002L, 199999L),
                                199998L,
                                199999L,
                                true,
                                null,
                                null,
                                null,
                                null,
                                null)
                        .withEosTokenIds(
                                HarmonyFormat.stopTokenIds(t -> tokenizer.encode(t).getIds()))
                        .eosTokenIds());
        HarmonyFormatException e =
                org.junit.jupiter.api.Assertions.assertThrows(
                        HarmonyFormatException.class,
                        () -> HarmonyFormat.stopTokenIds(t -> new long[] {1, 2}));
        assertTrue(e.getMessage().contains("not a harmony"), e.getMessage());
    }

    @Test
    void theO200kPreTokenizerSplitsDigitsAndPunctuation() {
        // The vocab has "1234" and "7!", which only the o200k pattern keeps apart ("123" + "4":
        // numbers in groups of up to three digits; "7" + "!": punctuation is its own piece).
        assertEquals(List.of("123", "4"), Arrays.asList(tokens("1234")));
        assertEquals(List.of("7", "!"), Arrays.asList(tokens("7!")));
    }

    private static String[] tokens(String text) {
        Encoding e = tokenizer.encode(text);
        return e.getTokens();
    }

    @Test
    void renderedPromptsRoundTrip() {
        String prompt =
                HarmonyFormat.defaults()
                        .withCurrentDate(LocalDate.of(2025, 6, 28))
                        .render(
                                List.of(
                                        ChatMessage.system("Always respond in riddles."),
                                        ChatMessage.user("What is 2 + 2? Ünïcödé, 世界 ✓"),
                                        ChatMessage.assistant("2 + 2 = 4."),
                                        ChatMessage.user("And 1234 / 7!")),
                                true);
        long[] ids = tokenizer.encode(prompt).getIds();
        assertEquals(prompt, tokenizer.decode(ids, false));
        // One <|start|> per message (system, developer, three turns) and the generation prompt.
        assertEquals(6, count(ids, HarmonyToken.START.id()));
        assertEquals(5, count(ids, HarmonyToken.END.id()));
        assertEquals(5, count(ids, HarmonyToken.MESSAGE.id()));
        assertEquals(1, count(ids, HarmonyToken.CHANNEL.id()));
        assertEquals(HarmonyToken.START.id(), ids[0]);
        // Skipping special tokens loses the structure: a reply must be decoded keeping them.
        String skipped = tokenizer.decode(ids, true);
        assertFalse(skipped.contains("<|"), skipped);
        assertTrue(skipped.startsWith("systemYou are ChatGPT"), skipped);
    }

    @Test
    void aReplyStreamedTokenByTokenSplitsIntoItsChannels() {
        String analysis = "User asks: 2 + 2? Ünïcödé 世界 ✓ simple.";
        String reply =
                "<|channel|>analysis<|message|>"
                        + analysis
                        + "<|end|><|start|>assistant<|channel|>final<|message|>2 + 2 = 4 ✓";
        long[] ids = tokenizer.encode(reply).getIds();
        StringBuilder shown = new StringBuilder();
        HarmonyParser parser =
                new HarmonyParser(
                        (header, text) -> {
                            if (header.isFinal()) {
                                shown.append(text);
                            }
                        });
        TextStreamer streamer = new TextStreamer(tokenizer, false, parser::accept);
        for (long id : ids) {
            streamer.accept(id);
        }
        streamer.finish(tokenizer.decode(ids, false));
        parser.finish();
        assertEquals("2 + 2 = 4 ✓", shown.toString());
        assertEquals(analysis, parser.text(HarmonyHeader.ANALYSIS));
        assertEquals(2, parser.messages().size());
    }

    private static int count(long[] ids, long id) {
        int n = 0;
        for (long i : ids) {
            if (i == id) {
                n++;
            }
        }
        return n;
    }
}
