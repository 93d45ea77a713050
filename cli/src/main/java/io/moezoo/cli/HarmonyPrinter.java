package io.moezoo.cli;

import io.moezoo.hf.harmony.HarmonyHeader;
import io.moezoo.hf.harmony.HarmonyMessage;
import io.moezoo.hf.harmony.HarmonyParser;
import java.io.PrintWriter;

/**
 * Prints a gpt-oss reply for {@code moe-zoo chat} as {@link HarmonyParser} reads it: the final
 * channel as it streams; the other channels (the analysis, commentary) only with {@code
 * --show-analysis}, each message on its own line after a {@code [channel]} prefix, dimmed on a
 * terminal. Everything printed goes through {@link PromptText#printable}.
 */
final class HarmonyPrinter implements HarmonyParser.Listener {

    private static final String DIM = "\u001b[2m";
    private static final String RESET = "\u001b[0m";

    private final PrintWriter out;
    private final boolean showAnalysis;
    private final boolean dim;
    private boolean inAside;

    /**
     * Creates the printer of one reply.
     *
     * @param out where the reply goes
     * @param showAnalysis true to print the channels other than final too
     * @param dim true to dim them with ANSI escapes (for a terminal)
     */
    HarmonyPrinter(PrintWriter out, boolean showAnalysis, boolean dim) {
        this.out = out;
        this.showAnalysis = showAnalysis;
        this.dim = dim;
    }

    /** {@inheritDoc} */
    @Override
    public void content(HarmonyHeader header, String text) {
        if (header.isFinal()) {
            out.print(PromptText.printable(text));
        } else if (showAnalysis) {
            if (!inAside) {
                out.print((dim ? DIM : "") + "[" + PromptText.printable(header.channel()) + "] ");
                inAside = true;
            }
            out.print(PromptText.printable(text));
        } else {
            return;
        }
        out.flush();
    }

    /** {@inheritDoc} */
    @Override
    public void messageEnded(HarmonyMessage message) {
        if (inAside) {
            out.println(dim ? RESET : "");
            out.flush();
            inAside = false;
        }
    }
}
