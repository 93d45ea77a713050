package io.moezoo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.moezoo.hf.harmony.HarmonyParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/**
 * What {@code moe-zoo chat} prints of a gpt-oss reply: the final channel, and the analysis only
 * with {@code --show-analysis} (prefixed, dimmed on a terminal), never an escape the model wrote.
 */
class HarmonyPrinterTest {

    private static final String REPLY =
            "<|channel|>analysis<|message|>User greets. Reply \u001b[31mbriefly.<|end|>"
                    + "<|start|>assistant<|channel|>final<|message|>Hello!";

    private static String print(boolean show, boolean dim) {
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        HarmonyParser parser = new HarmonyParser(new HarmonyPrinter(out, show, dim));
        // In pieces that split the special tokens, as a streamed reply may.
        for (int i = 0; i < REPLY.length(); i += 5) {
            parser.accept(REPLY.substring(i, Math.min(REPLY.length(), i + 5)));
        }
        parser.finish();
        out.flush();
        return text.toString();
    }

    @Test
    void onlyTheFinalChannelUnlessAsked() {
        assertEquals("Hello!", print(false, false));
        assertEquals("Hello!", print(false, true));
    }

    @Test
    void theAnalysisOnItsOwnLineWhenAsked() {
        String nl = System.lineSeparator();
        assertEquals(
                "[analysis] User greets. Reply \uFFFD[31mbriefly." + nl + "Hello!",
                print(true, false));
        assertEquals(
                "\u001b[2m[analysis] User greets. Reply \uFFFD[31mbriefly.\u001b[0m"
                        + nl
                        + "Hello!",
                print(true, true));
    }
}
