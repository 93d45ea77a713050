package io.moezoo.cli;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.moezoo.formats.CheckpointFiles;
import io.moezoo.hf.ChatTemplate;
import io.moezoo.hf.GenerationDefaults;
import io.moezoo.hf.HfBlockFactory;
import io.moezoo.translators.text.ChatMessage;
import io.moezoo.translators.text.ContextWindow;
import io.moezoo.translators.text.GeneratedText;
import io.moezoo.translators.text.GenerationConfig;
import io.moezoo.translators.text.TextGenerationTranslator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code moe-zoo chat DIR}: a conversation with a Hugging Face checkpoint's chat model. Each line
 * of standard input is a user turn; the conversation is rendered with the checkpoint's chat
 * template ({@link ChatTemplate}) and the assistant's answer is streamed to standard output, then
 * kept in the history. The history is bounded: the oldest user/assistant pairs (never the system
 * message) are dropped until the rendered prompt plus {@code --max-new-tokens} fits the model's
 * context (and {@code --max-history-tokens}). Blank lines are skipped; EOF or a line {@code /exit}
 * ends the chat.
 */
@Command(
        name = "chat",
        mixinStandardHelpOptions = true,
        description =
                "Chat with a Hugging Face MoE checkpoint: user turns are read line by line from"
                        + " standard input, rendered with the checkpoint's chat template, and each"
                        + " answer is streamed to standard output. EOF or /exit ends the chat.")
final class ChatCommand implements Callable<Integer> {

    /** The longest user turn, in characters. */
    static final int MAX_LINE_CHARS = 1 << 20;

    @Parameters(
            index = "0",
            paramLabel = "DIR",
            description =
                    "A Hugging Face checkpoint directory with a chat template (chat_template.jinja"
                            + " or tokenizer_config.json), tokenizer.json, config.json, safetensors.")
    Path dir;

    @Option(names = "--system", paramLabel = "TEXT", description = "A system message.")
    String system;

    @Option(
            names = "--max-history-tokens",
            paramLabel = "N",
            description =
                    "Also keep the rendered prompt (history included) within N tokens, dropping"
                            + " the oldest turns.")
    Integer maxHistoryTokens;

    @Mixin GenerationOptions options;

    @Mixin EngineOption engine;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        GenerationConfig userConfig = options.config();
        if (options.truncatePrompt) {
            throw new IllegalArgumentException(
                    "--truncate-prompt does not apply to chat: the oldest turns are dropped instead");
        }
        if (maxHistoryTokens != null && maxHistoryTokens < 1) {
            throw new IllegalArgumentException(
                    "--max-history-tokens must be >= 1, got " + maxHistoryTokens);
        }
        if (system != null) {
            PromptText.check(system, "--system");
        }
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a checkpoint directory");
        }
        ChatTemplate template = ChatTemplate.read(dir);
        GenerationConfig config =
                GenerationDefaults.read(dir)
                        .applyTo(userConfig, options.given(), options.ignoreEos);
        Path tokenizerJson = dir.resolve(CheckpointFiles.TOKENIZER_FILE);
        if (!Files.isRegularFile(tokenizerJson)) {
            throw new IllegalArgumentException("no tokenizer.json in " + dir);
        }
        CheckpointFiles.checkTokenizer(dir);
        // The template writes the special tokens (BOS ...) itself, as transformers tokenizes a
        // rendered chat with add_special_tokens=False.
        try (HuggingFaceTokenizer tokenizer =
                HuggingFaceTokenizer.builder()
                        .optTokenizerPath(tokenizerJson)
                        .optAddSpecialTokens(false)
                        .optTruncation(false)
                        .build()) {
            Criteria<String, GeneratedText> criteria =
                    HfBlockFactory.criteria(dir, String.class, GeneratedText.class, engine.name())
                            .optTranslator(
                                    new TextGenerationTranslator(tokenizer, config, this::print))
                            .build();
            try (ZooModel<String, GeneratedText> model = criteria.loadModel();
                    Predictor<String, GeneratedText> predictor = model.newPredictor()) {
                int budget = ContextWindow.of(model.getBlock()) - config.maxNewTokens();
                if (budget < 1) {
                    throw new IllegalArgumentException(
                            "--max-new-tokens "
                                    + config.maxNewTokens()
                                    + " leaves no room for a prompt in the model's context of "
                                    + ContextWindow.of(model.getBlock())
                                    + " tokens");
                }
                if (maxHistoryTokens != null) {
                    budget = Math.min(budget, maxHistoryTokens);
                }
                converse(template, tokenizer, predictor, budget);
            }
        }
        return 0;
    }

    private void converse(
            ChatTemplate template,
            HuggingFaceTokenizer tokenizer,
            Predictor<String, GeneratedText> predictor,
            int budget)
            throws Exception {
        ChatHistory history = new ChatHistory(system);
        BufferedReader in =
                new BufferedReader(
                        new InputStreamReader(
                                System.in,
                                StandardCharsets.UTF_8
                                        .newDecoder()
                                        .onMalformedInput(CodingErrorAction.REPORT)
                                        .onUnmappableCharacter(CodingErrorAction.REPORT)));
        PrintWriter out = spec.commandLine().getOut();
        String line;
        while ((line = readLine(in)) != null) {
            if (line.strip().equals("/exit")) {
                break;
            }
            if (line.isBlank()) {
                continue;
            }
            history.add(ChatMessage.user(PromptText.check(line, "the user turn")));
            history.fit(
                    messages -> tokenizer.encode(template.render(messages, true)).getIds().length,
                    budget);
            String prompt = template.render(history.messages(), true);
            GeneratedText answer = predictor.predict(prompt);
            out.println();
            out.flush();
            history.add(ChatMessage.assistant(answer.text()));
        }
    }

    /** Reads a line of at most {@link #MAX_LINE_CHARS} characters, without its terminator. */
    static String readLine(BufferedReader in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                break;
            }
            if (line.length() == MAX_LINE_CHARS) {
                throw new IllegalArgumentException(
                        "a line of standard input is longer than "
                                + MAX_LINE_CHARS
                                + " characters");
            }
            line.append((char) c);
        }
        if (c < 0 && line.length() == 0) {
            return null;
        }
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
            line.setLength(end - 1);
        }
        return line.toString();
    }

    /** Writes a piece of the answer to standard output at once. */
    private void print(String piece) {
        PrintWriter out = spec.commandLine().getOut();
        out.print(PromptText.printable(piece));
        out.flush();
    }
}
