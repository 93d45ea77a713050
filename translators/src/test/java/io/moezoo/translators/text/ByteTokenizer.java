package io.moezoo.translators.text;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A byte-level BPE tokenizer without merges, for tests: token id b is the byte b, so a text's ids
 * are its UTF-8 bytes and a character of several bytes takes several tokens.
 */
public final class ByteTokenizer {

    private ByteTokenizer() {}

    /** GPT-2's map of bytes to printable characters (bytes_to_unicode). */
    private static char byteChar(int b) {
        if ((b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF)) {
            return (char) b;
        }
        int n = 0;
        for (int c = 0; c < b; c++) {
            if (!((c >= '!' && c <= '~') || (c >= 0xA1 && c <= 0xAC) || (c >= 0xAE && c <= 0xFF))) {
                n++;
            }
        }
        return (char) (256 + n);
    }

    /** A byte-level BPE tokenizer.json with the 256 byte tokens (id = byte value) and no merges. */
    public static Path write(Path dir) throws IOException {
        StringBuilder vocab = new StringBuilder();
        for (int b = 0; b < 256; b++) {
            char c = byteChar(b);
            String key = c == '"' ? "\\\"" : c == '\\' ? "\\\\" : String.valueOf(c);
            vocab.append(b == 0 ? "" : ",").append('"').append(key).append("\":").append(b);
        }
        String byteLevel =
                "{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"trim_offsets\":true,"
                        + "\"use_regex\":true}";
        return Files.writeString(
                dir.resolve("tokenizer.json"),
                "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":[],"
                        + "\"normalizer\":null,\"pre_tokenizer\":"
                        + byteLevel
                        + ",\"post_processor\":null,\"decoder\":"
                        + byteLevel
                        + ",\"model\":{\"type\":\"BPE\",\"dropout\":null,\"unk_token\":null,"
                        + "\"continuing_subword_prefix\":null,\"end_of_word_suffix\":null,"
                        + "\"fuse_unk\":false,\"byte_fallback\":false,\"vocab\":{"
                        + vocab
                        + "},\"merges\":[]}}");
    }

    /** Opens the tokenizer written to {@code dir}. */
    public static HuggingFaceTokenizer open(Path dir) throws IOException {
        return HuggingFaceTokenizer.builder()
                .optTokenizerPath(write(dir))
                .optAddSpecialTokens(false)
                .optTruncation(false)
                .build();
    }

    /** The ids of a text: its UTF-8 bytes. */
    public static long[] ids(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        long[] ids = new long[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ids[i] = bytes[i] & 0xFF;
        }
        return ids;
    }
}
