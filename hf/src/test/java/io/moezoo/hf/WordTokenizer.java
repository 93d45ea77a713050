package io.moezoo.hf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A word-level {@code tokenizer.json} for synthetic checkpoints: the words "w0" … "w{n-1}" map to
 * the ids 0 … n-1, split on whitespace, unknown words to 0.
 */
public final class WordTokenizer {

    private WordTokenizer() {}

    /**
     * Writes the tokenizer.
     *
     * @param file where to write it (parent folders are created)
     * @param vocabularySize n
     * @return the file
     * @throws IOException if it cannot be written
     */
    public static Path write(Path file, int vocabularySize) throws IOException {
        StringBuilder vocab = new StringBuilder();
        for (int i = 0; i < vocabularySize; i++) {
            vocab.append(i == 0 ? "" : ",").append("\"w").append(i).append("\":").append(i);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(
                file,
                "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":[],"
                        + "\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"Whitespace\"},"
                        + "\"post_processor\":null,\"decoder\":null,\"model\":{\"type\":\"WordLevel\","
                        + "\"vocab\":{"
                        + vocab
                        + "},\"unk_token\":\"w0\"}}");
        return file;
    }
}
