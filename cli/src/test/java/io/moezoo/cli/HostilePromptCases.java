package io.moezoo.cli;

import static io.moezoo.cli.HostileCase.refused;
import static io.moezoo.cli.HostileCase.usage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Hostile prompts, token counts and sampling options for {@code generate brown-moe}. */
final class HostilePromptCases {

    private static final String MODEL = "brown-moe";
    private static final String PROMPT = "The jury said";

    private HostilePromptCases() {}

    private static String[] generate(String prompt, String... options) {
        List<String> args = new ArrayList<>(List.of("generate", MODEL, prompt));
        args.addAll(List.of(options));
        return args.toArray(new String[0]);
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The cases.
     *
     * @param fixtures the fixture files
     * @return the cases
     */
    static List<HostileCase> cases(HostileFixtures fixtures) {
        String huge = "The jury said the election was fair. ".repeat(2_700); // ~100 KB
        byte[] binary = new byte[4096];
        new Random(3).nextBytes(binary);
        StringBuilder stops = new StringBuilder("0");
        for (int i = 1; i < 2_000; i++) {
            stops.append(',').append(i);
        }
        return List.of(
                // prompts
                refused(
                        "100 KB prompt",
                        "the model's context of|--truncate-prompt",
                        generate(huge)),
                refused("empty prompt", "PROMPT is empty", generate("")),
                refused("blank prompt", "PROMPT is empty", generate(" \n\t ")),
                refused("escape sequence", "control character U+001B", generate("a\u001b[2Jb")),
                refused("bell", "control character U+0007", generate("ring\u0007")),
                refused("delete", "control character U+007F", generate("x\u007fy")),
                refused("2 MiB on stdin", "standard input|more than 1,048,576 bytes", generate("-"))
                        .stdin(new byte[2 << 20]),
                refused("300 KB prompt on stdin", "the model's context of", generate("-"))
                        .stdin(utf8(huge + huge + huge)),
                refused("empty stdin", "standard input is empty", generate("-")).stdin(new byte[0]),
                refused("binary stdin", "standard input", generate("-")).stdin(binary),
                refused("invalid UTF-8 on stdin", "not valid UTF-8", generate("-"))
                        .stdin(new byte[] {'T', 'h', (byte) 0xFF, 'e'}),
                refused(
                                "encoded lone surrogate",
                                "standard input is not valid UTF-8",
                                generate("-"))
                        .stdin(new byte[] {'a', (byte) 0xED, (byte) 0xA0, (byte) 0x80, 'b'}),
                refused("UTF-16 on stdin", "NUL byte|UTF-16 data, not UTF-8", generate("-"))
                        .stdin(PROMPT.getBytes(StandardCharsets.UTF_16LE)),
                refused("UTF-16 with BOM on stdin", "UTF-16BE|must be UTF-8", generate("-"))
                        .stdin(PROMPT.getBytes(StandardCharsets.UTF_16)),
                refused("C1 control on stdin", "control character U+0085", generate("-"))
                        .stdin(utf8("next\u0085line")),
                refused("replacement character", "U+FFFD|not UTF-8", generate("-"))
                        .stdin(utf8("bad \uFFFD byte")),
                // token counts
                refused(
                        "max-new-tokens 0",
                        "--max-new-tokens must be >= 1, got 0",
                        generate(PROMPT, "--max-new-tokens", "0")),
                refused(
                        "max-new-tokens -5",
                        "--max-new-tokens must be >= 1",
                        generate(PROMPT, "--max-new-tokens", "-5")),
                usage(
                        "max-new-tokens 1e9",
                        "--max-new-tokens|'1e9' is not an int",
                        generate(PROMPT, "--max-new-tokens", "1e9")),
                refused(
                        "max-new-tokens 10^9",
                        "--max-new-tokens 1000000000|does not fit in the model's context",
                        generate(PROMPT, "--max-new-tokens", "1000000000")),
                refused(
                        "max-new-tokens 10^6",
                        "--max-new-tokens 1000000|use at most",
                        generate(PROMPT, "--max-new-tokens", "1000000")),
                refused(
                        "prompt + new > context",
                        "together more than the model's context",
                        generate(huge, "--max-new-tokens", "1")),
                usage(
                        "max-new-tokens beyond int",
                        "--max-new-tokens|not an int",
                        generate(PROMPT, "--max-new-tokens", "99999999999")),
                usage(
                        "max-new-tokens empty",
                        "--max-new-tokens",
                        generate(PROMPT, "--max-new-tokens", "")),
                // sampling options
                refused(
                        "min-p of 1",
                        "--min-p must be in [0, 1), got 1.0",
                        generate(PROMPT, "--min-p", "1")),
                refused(
                        "zero repetition penalty",
                        "--repetition-penalty must be finite and > 0",
                        generate(PROMPT, "--repetition-penalty", "0")),
                refused(
                        "presence penalty beyond 2",
                        "--presence-penalty must be in [-2, 2], got 3.0",
                        generate(PROMPT, "--presence-penalty", "3")),
                refused(
                        "NaN frequency penalty",
                        "--frequency-penalty|NaN",
                        generate(PROMPT, "--frequency-penalty", "NaN")),
                refused(
                        "negative temperature",
                        "--temperature must be|got -1.0",
                        generate(PROMPT, "--temperature", "-1")),
                refused(
                        "NaN temperature",
                        "--temperature|NaN",
                        generate(PROMPT, "--temperature", "NaN")),
                refused(
                        "infinite temperature",
                        "--temperature|Infinity",
                        generate(PROMPT, "--temperature", "Infinity")),
                refused(
                        "overflowing temperature",
                        "--temperature|Infinity",
                        generate(PROMPT, "--temperature", "1e39")),
                refused(
                        "huge temperature",
                        "--temperature|[0, 100]",
                        generate(PROMPT, "--temperature", "1000")),
                usage(
                        "temperature not a number",
                        "--temperature|'warm' is not a float",
                        generate(PROMPT, "--temperature", "warm")),
                refused("top-k 0", "--top-k must be >= 1", generate(PROMPT, "--top-k", "0")),
                refused("negative top-k", "--top-k|got -3", generate(PROMPT, "--top-k", "-3")),
                refused(
                        "top-k beyond vocabulary",
                        "topK is 100000|vocabulary has 2257",
                        generate(PROMPT, "--top-k", "100000", "--temperature", "1")),
                usage(
                        "top-k beyond int",
                        "--top-k|not an int",
                        generate(PROMPT, "--top-k", "2147483648")),
                refused("top-p 0", "--top-p must be in (0, 1]", generate(PROMPT, "--top-p", "0")),
                refused("top-p above 1", "--top-p|got 1.5", generate(PROMPT, "--top-p", "1.5")),
                refused("negative top-p", "--top-p|got -0.1", generate(PROMPT, "--top-p", "-0.1")),
                refused("NaN top-p", "--top-p|NaN", generate(PROMPT, "--top-p", "NaN")),
                usage("seed not a number", "--seed|not a long", generate(PROMPT, "--seed", "abc")),
                usage("seed in exponent form", "--seed|'1e3'", generate(PROMPT, "--seed", "1e3")),
                refused(
                        "negative stop token",
                        "--stop token ids must be >= 0",
                        generate(PROMPT, "--stop", "-1")),
                refused(
                        "stop token beyond vocabulary",
                        "stop token 99999999|vocabulary of 2257",
                        generate(PROMPT, "--stop", "99999999")),
                usage("stop token not a number", "--stop|'x'", generate(PROMPT, "--stop", "1,x")),
                refused(
                        "2000 stop tokens",
                        "--stop takes at most 1024",
                        generate(PROMPT, "--stop", stops.toString())),
                // routing plot and model
                refused(
                        "negative layer",
                        "--layer must be >= 0",
                        generate(PROMPT, "--layer", "-1")),
                refused(
                        "routing plot into a directory",
                        "--routing-plot|is a directory",
                        generate(PROMPT, "--routing-plot", fixtures.path("a-directory.png"))),
                refused(
                        "routing plot in /proc",
                        "--routing-plot|cannot write",
                        generate(PROMPT, "--routing-plot", "/proc/routing.png")),
                refused(
                        "routing plot under a file",
                        "is a file, not a directory",
                        generate(
                                PROMPT,
                                "--routing-plot",
                                fixtures.path("plain.txt") + "/routing.png")),
                refused(
                        "unknown model",
                        "neither a checkpoint directory nor a zoo model",
                        "generate",
                        "no-such-model",
                        PROMPT),
                refused(
                        "vision model for text",
                        "vision model, not a language model",
                        "generate",
                        "vit-moe-fashion-mnist",
                        PROMPT),
                refused(
                        "directory without tokenizer",
                        "no tokenizer.json",
                        "generate",
                        fixtures.path("a-directory.csv"),
                        PROMPT),
                usage("missing prompt", "Missing required parameter|PROMPT", "generate", MODEL),
                usage(
                        "unknown generate option",
                        "Unknown option: '--frobnicate'",
                        generate(PROMPT, "--frobnicate")));
    }
}
