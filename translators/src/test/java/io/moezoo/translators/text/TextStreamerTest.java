package io.moezoo.translators.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link TextStreamer} over a byte-level BPE tokenizer without merges ({@link ByteTokenizer}),
 * whose tokens are single UTF-8 bytes: a character of several bytes is passed on once its last byte
 * has arrived, so the pieces are exactly the text's characters, and they add up to the decoded
 * text.
 */
class TextStreamerTest {

    @TempDir Path dir;

    @Test
    void passesOnWholeCharacters() throws IOException {
        String text = "naïve café ✓ 😀!";
        try (HuggingFaceTokenizer tokenizer =
                HuggingFaceTokenizer.builder()
                        .optTokenizerPath(ByteTokenizer.write(dir))
                        .optAddSpecialTokens(false)
                        .optTruncation(false)
                        .build()) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            long[] ids = new long[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                ids[i] = bytes[i] & 0xFF;
            }
            assertEquals(text, tokenizer.decode(ids), "the fixture tokenizer decodes bytes");

            List<String> pieces = new ArrayList<>();
            TextStreamer streamer = new TextStreamer(tokenizer, pieces::add);
            for (long id : ids) {
                streamer.accept(id);
            }
            List<String> characters = text.codePoints().mapToObj(Character::toString).toList();
            assertEquals(characters, pieces);
            streamer.finish(tokenizer.decode(ids));
            assertEquals(characters, pieces, "nothing is left for finish");
            assertEquals(text, streamer.passedOn());
        }
    }

    @Test
    void finishPassesOnWhatWasHeldBack() throws IOException {
        try (HuggingFaceTokenizer tokenizer =
                HuggingFaceTokenizer.builder()
                        .optTokenizerPath(ByteTokenizer.write(dir))
                        .optTruncation(false)
                        .build()) {
            List<String> pieces = new ArrayList<>();
            TextStreamer streamer = new TextStreamer(tokenizer, pieces::add);
            // "a" then the first two of the three bytes of "✓" (E2 9C 93): generation stopped.
            for (long id : new long[] {'a', 0xE2, 0x9C}) {
                streamer.accept(id);
            }
            assertEquals(List.of("a"), pieces);
            String last = tokenizer.decode(new long[] {'a', 0xE2, 0x9C});
            streamer.finish(last);
            assertEquals(last, String.join("", pieces));
            assertEquals('\uFFFD', last.charAt(last.length() - 1));
        }
    }
}
