package io.moezoo.cli;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.moezoo.formats.CheckpointFiles;
import io.moezoo.hf.ChatTemplate;
import io.moezoo.hf.GenerationDefaults;
import io.moezoo.hf.HfBlockFactory;
import io.moezoo.hf.harmony.HarmonyFormat;
import io.moezoo.hf.harmony.HarmonyParser;
import io.moezoo.hf.harmony.ReasoningEffort;
import io.moezoo.translators.text.ChatMessage;
import io.moezoo.translators.text.ContextWindow;
import io.moezoo.translators.text.GeneratedText;
import io.moezoo.translators.text.GenerationConfig;
import io.moezoo.translators.text.TextGenerationTranslator;
import io.moezoo.translators.text.TextStreamer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
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
 *
 * <p>gpt-oss checkpoints ({@code model_type: gpt_oss}) are rendered with {@link HarmonyFormat}
 * rather than their {@code chat_template.jinja} (the hub's Jinja rendering of harmony): that
 * template takes the reasoning effort as an extra template variable, which {@link ChatTemplate}
 * does not pass, and its tool-rendering macros lean on the Jinja2 behaviour our compatibility layer
 * only approximates; the native renderer states the effort ({@code --reasoning}), refuses shapes it
 * cannot carry instead of rendering them wrongly, and is the same implementation of the format as
 * the reply parser. Replies are decoded keeping special tokens and split into channels ({@link
 * HarmonyParser}): the final channel is streamed and kept in the history, the others (the analysis)
 * are printed only with {@code --show-analysis} and never kept; {@code <|return|>} and {@code
 * <|call|>} end a reply.
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
                            + " or tokenizer_config.json; gpt-oss checkpoints use the harmony"
                            + " format instead), tokenizer.json, config.json, safetensors.")
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

    @Option(
            names = "--reasoning",
            paramLabel = "EFFORT",
            description =
                    "gpt-oss (harmony) checkpoints: the reasoning effort, low, medium or high"
                            + " (default medium).")
    String reasoning;

    @Option(
            names = "--show-analysis",
            description =
                    "gpt-oss (harmony) checkpoints: also print the reply's analysis (its chain of"
                            + " thought) and other non-final channels, each after a [channel]"
                            + " prefix.")
    boolean showAnalysis;

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
        ReasoningEffort effort =
                reasoning == null
                        ? ReasoningEffort.MEDIUM
                        : ReasoningEffort.parse(reasoning, "--reasoning");
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a checkpoint directory");
        }
        boolean harmony = HarmonyFormat.appliesTo(dir);
        if (!harmony && (reasoning != null || showAnalysis)) {
            throw new IllegalArgumentException(
                    "--reasoning and --show-analysis apply to gpt-oss checkpoints (model_type "
                            + HarmonyFormat.MODEL_TYPE
                            + ", the harmony format) only");
        }
        ChatTemplate template = harmony ? null : ChatTemplate.read(dir);
        GenerationDefaults defaults = GenerationDefaults.read(dir);
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
            if (harmony) {
                defaults =
                        defaults.withEosTokenIds(
                                HarmonyFormat.stopTokenIds(t -> tokenizer.encode(t).getIds()));
            }
            GenerationConfig config =
                    defaults.applyTo(userConfig, options.given(), options.ignoreEos);
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
                if (harmony) {
                    HarmonyFormat format = HarmonyFormat.defaults().withReasoningEffort(effort);
                    converse(
                            messages -> format.render(messages, true),
                            prompt -> harmonyAnswer(model, tokenizer, config, prompt),
                            tokenizer,
                            budget);
                } else {
                    converse(
                            messages -> template.render(messages, true),
                            prompt -> predictor.predict(prompt).text(),
                            tokenizer,
                            budget);
                }
            }
        }
        return 0;
    }

    /** Generates the answer to a rendered conversation, streaming it to standard output. */
    private interface Answer {
        String to(String prompt) throws Exception;
    }

    private void converse(
            Function<List<ChatMessage>, String> render,
            Answer answer,
            HuggingFaceTokenizer tokenizer,
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
                    messages -> tokenizer.encode(render.apply(messages)).getIds().length, budget);
            String text = answer.to(render.apply(history.messages()));
            out.println();
            out.flush();
            history.add(ChatMessage.assistant(text));
        }
    }

    /**
     * Generates a gpt-oss reply: decoded keeping its special tokens, split into channels, the final
     * one streamed (and the others with {@code --show-analysis}).
     *
     * @return the final channel's text, what the history keeps
     */
    private String harmonyAnswer(
            ZooModel<String, GeneratedText> model,
            HuggingFaceTokenizer tokenizer,
            GenerationConfig config,
            String prompt)
            throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        HarmonyParser parser =
                new HarmonyParser(new HarmonyPrinter(out, showAnalysis, System.console() != null));
        TextStreamer streamer = new TextStreamer(tokenizer, false, parser::accept);
        GeneratedText reply;
        try (Predictor<String, GeneratedText> predictor =
                model.newPredictor(
                        new TextGenerationTranslator(
                                tokenizer, config.withOnToken(streamer), null))) {
            reply = predictor.predict(prompt);
        }
        streamer.finish(tokenizer.decode(reply.tokenIds(), false));
        parser.finish();
        String answer = parser.finalText();
        if (answer.isEmpty() && !reply.stoppedByToken()) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(
                    "(no final answer within --max-new-tokens "
                            + config.maxNewTokens()
                            + ": the reply was still reasoning; raise --max-new-tokens or lower"
                            + " --reasoning)");
            err.flush();
        }
        return answer;
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
