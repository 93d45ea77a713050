package io.moezoo.cli;

import io.moezoo.hf.WordTokenizer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;

/**
 * A checkpoint that {@code generate} accepts: the OLMoE fixture (64 ids) with a word-level
 * tokenizer over the words {@code w0 … w63}.
 */
final class WordModel {

    /** The OLMoE fixture of the zoo's tests. */
    static final Path FIXTURE =
            Paths.get("..", "hf", "src", "test", "resources", "fixtures", "olmoe");

    private WordModel() {}

    /**
     * Writes the checkpoint.
     *
     * @param dir the directory (created)
     * @return the directory
     * @throws IOException if it cannot be written
     */
    static Path write(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String file : new String[] {"config.json", "model.safetensors"}) {
            Files.copy(
                    FIXTURE.resolve(file), dir.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        WordTokenizer.write(dir.resolve("tokenizer.json"), 64);
        return dir;
    }
}
