package io.moezoo.bench;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * A word-level {@code tokenizer.json} over a checkpoint's whole vocabulary ({@code w0 … w<V-1>},
 * whitespace-separated), so that the text commands and the server run on generated benchmark
 * checkpoints, whose weights are random anyway.
 */
public final class WordTokenizer {

    private WordTokenizer() {}

    /**
     * Writes {@code DIR/tokenizer.json} unless it exists.
     *
     * @param args DIR
     * @throws IOException if the config cannot be read or the file written
     */
    public static void main(String[] args) throws IOException {
        ensure(Paths.get(args[0]));
    }

    /**
     * Writes {@code dir/tokenizer.json} for the vocabulary of {@code dir/config.json} unless it
     * exists.
     *
     * @param dir the checkpoint directory
     * @throws IOException if the config cannot be read or the file written
     */
    static void ensure(Path dir) throws IOException {
        Path file = dir.resolve("tokenizer.json");
        if (Files.exists(file)) {
            return;
        }
        JsonObject config =
                com.google.gson.JsonParser.parseString(Files.readString(dir.resolve("config.json")))
                        .getAsJsonObject();
        int vocab = config.get("vocab_size").getAsInt();
        StringBuilder words = new StringBuilder();
        for (int i = 0; i < vocab; i++) {
            words.append(i == 0 ? "" : ",").append("\"w").append(i).append("\":").append(i);
        }
        Files.writeString(
                file,
                "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":[],"
                        + "\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"Whitespace\"},"
                        + "\"post_processor\":null,\"decoder\":null,\"model\":{\"type\":\"WordLevel\","
                        + "\"vocab\":{"
                        + words
                        + "},\"unk_token\":\"w0\"}}");
    }
}
