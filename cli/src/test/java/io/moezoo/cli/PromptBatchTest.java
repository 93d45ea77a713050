package io.moezoo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code generate DIR --prompts-file FILE}: each line's result is what {@code generate DIR PROMPT}
 * prints for it alone, on both engines; bad batches are refused by name.
 */
class PromptBatchTest {

    @TempDir Path tmp;

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = MoeZooCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void eachPromptGetsWhatItGetsAlone() throws Exception {
        Path model = WordModel.write(tmp.resolve("model"));
        List<String> prompts = List.of("w5 w17 w42", "w9", "w33 w8 w8 w50");
        Path file = tmp.resolve("prompts.txt");
        Files.writeString(
                file, String.join("\n", prompts.get(0), "", prompts.get(1), prompts.get(2)) + "\n");
        for (String engine : new String[] {"MoeJava", "PyTorch"}) {
            String[] batch =
                    run(
                            "generate",
                            model.toString(),
                            "--prompts-file",
                            file.toString(),
                            "--max-new-tokens",
                            "5",
                            "--engine",
                            engine);
            assertEquals("0", batch[0], batch[2]);
            String[] lines = batch[1].strip().split("\\R");
            assertEquals(prompts.size(), lines.length, batch[1]);
            for (int i = 0; i < prompts.size(); i++) {
                String[] alone =
                        run(
                                "generate",
                                model.toString(),
                                prompts.get(i),
                                "--max-new-tokens",
                                "5",
                                "--engine",
                                engine);
                assertEquals("0", alone[0], alone[2]);
                JsonObject line = JsonParser.parseString(lines[i]).getAsJsonObject();
                assertEquals(i, line.get("index").getAsInt());
                assertEquals(alone[1].strip(), line.get("text").getAsString(), engine + " " + i);
                assertEquals(5, line.get("tokens").getAsInt());
            }
        }
    }

    @Test
    void badBatchesAreRefusedByName() throws Exception {
        Path model = WordModel.write(tmp.resolve("model"));
        Path empty = Files.writeString(tmp.resolve("empty.txt"), "\n  \n");
        String[] none = run("generate", model.toString(), "--prompts-file", empty.toString());
        assertEquals("1", none[0], none[2]);
        assertTrue(none[2].contains("1 to 256 prompts"), none[2]);
        Path one = Files.writeString(tmp.resolve("one.txt"), "w1\n");
        String[] both = run("generate", model.toString(), "w2", "--prompts-file", one.toString());
        assertEquals("1", both[0]);
        assertTrue(both[2].contains("either PROMPT or --prompts-file"), both[2]);
        String[] neither = run("generate", model.toString());
        assertEquals("2", neither[0], "a usage error");
        assertTrue(neither[2].contains("'PROMPT' (or --prompts-file)"), neither[2]);
        String[] tooLong =
                run(
                        "generate",
                        model.toString(),
                        "--prompts-file",
                        one.toString(),
                        "--max-new-tokens",
                        "200");
        assertEquals("1", tooLong[0]);
        assertTrue(tooLong[2].contains("--max-new-tokens 200"), tooLong[2]);
    }
}
