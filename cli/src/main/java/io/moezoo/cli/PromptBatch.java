package io.moezoo.cli;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.repository.zoo.ZooModel;
import com.google.gson.JsonObject;
import io.moezoo.formats.CheckpointFiles;
import io.moezoo.hf.HfBlockFactory;
import io.moezoo.recipes.data.TextFiles;
import io.moezoo.translators.text.BatchTextGenerator;
import io.moezoo.translators.text.ContextLengthExceededException;
import io.moezoo.translators.text.GeneratedText;
import io.moezoo.translators.text.GenerationConfig;
import io.moezoo.translators.text.TextGenerationTranslator;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code moe-zoo generate DIR --prompts-file FILE}: every line of a file continued as one batch
 * ({@link BatchTextGenerator}), one JSON line per prompt on standard output.
 */
final class PromptBatch {

    /** The most prompts of one file. */
    static final int MAX_PROMPTS = 256;

    private static final long MAX_FILE_BYTES = 1L << 20;

    private PromptBatch() {}

    /**
     * Reads the prompts: the non-empty lines of a UTF-8 file of at most 1 MiB.
     *
     * @param file the file
     * @return the prompts, at least one
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if it is not UTF-8 text, has no prompt or too many
     */
    static List<String> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--prompts-file " + file + " is not a file");
        }
        String text;
        try (InputStream in = Files.newInputStream(file)) {
            text =
                    TextFiles.decodeUtf8(
                            TextFiles.readAtMost(in, MAX_FILE_BYTES, file.toString()),
                            file.toString());
        } catch (io.moezoo.recipes.data.InvalidTextException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        List<String> prompts = new ArrayList<>();
        String[] lines = text.split("\r?\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (!lines[i].isBlank()) {
                prompts.add(PromptText.check(lines[i], file.getFileName() + " line " + (i + 1)));
            }
        }
        if (prompts.isEmpty() || prompts.size() > MAX_PROMPTS) {
            throw new IllegalArgumentException(
                    "--prompts-file must hold 1 to "
                            + MAX_PROMPTS
                            + " prompts (non-empty lines), got "
                            + prompts.size());
        }
        return prompts;
    }

    /**
     * Continues the prompts and prints one JSON object per line: {@code index}, {@code text},
     * {@code tokens} (generated) and {@code stopped} (by an end-of-sequence token).
     *
     * @param dir the checkpoint directory
     * @param prompts the prompts
     * @param config how to generate
     * @param engine the engine
     * @param out where to print
     * @throws Exception if the model cannot be loaded or generation fails
     */
    static void run(
            Path dir, List<String> prompts, GenerationConfig config, String engine, PrintWriter out)
            throws Exception {
        Path tokenizerJson = dir.resolve(CheckpointFiles.TOKENIZER_FILE);
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new IllegalArgumentException("no tokenizer.json in " + dir);
        }
        CheckpointFiles.checkTokenizer(dir);
        List<GeneratedText> results;
        try (HuggingFaceTokenizer tokenizer =
                        HuggingFaceTokenizer.builder()
                                .optTokenizerPath(tokenizerJson)
                                .optTruncation(false)
                                .build();
                ZooModel<String, GeneratedText> model =
                        HfBlockFactory.criteria(dir, String.class, GeneratedText.class, engine)
                                .optTranslator(new TextGenerationTranslator(tokenizer, config))
                                .build()
                                .loadModel()) {
            results = new BatchTextGenerator(model, tokenizer, config).generate(prompts);
        } catch (ContextLengthExceededException e) {
            throw GenerateCommand.doesNotFit(e);
        }
        for (int i = 0; i < results.size(); i++) {
            JsonObject line = new JsonObject();
            line.addProperty("index", i);
            line.addProperty("text", results.get(i).text());
            line.addProperty("tokens", results.get(i).tokenIds().length);
            line.addProperty("stopped", results.get(i).stoppedByToken());
            out.println(line);
        }
        out.flush();
    }
}
