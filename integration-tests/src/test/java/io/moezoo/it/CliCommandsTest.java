package io.moezoo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The CLI's main commands, run as {@code moe-zoo} runs them: a fresh JVM on the published jars. */
class CliCommandsTest {

    private static Path work;

    @BeforeAll
    static void prepare() throws Exception {
        work = Workspace.prepare();
    }

    private static JavaProcess.Result cli(String... args) throws Exception {
        return JavaProcess.run(
                work, JavaProcess.fullClassPath(), List.of(), "io.moezoo.cli.MoeZooCli", args);
    }

    private static JavaProcess.Result ok(String... args) throws Exception {
        JavaProcess.Result r = cli(args);
        assertEquals(0, r.code(), String.join(" ", args) + ": " + r.describe());
        return r;
    }

    @Test
    void modelsListsEveryZooModel() throws Exception {
        String out = ok("models").out();
        for (String id :
                new String[] {
                    "brown-moe", "brown-dense", "vit-moe-fashion-mnist", "time-moe-vega",
                    "dmoerm-brown", "armorm-brown"
                }) {
            assertTrue(out.contains(id), id + " in\n" + out);
        }
    }

    @Test
    void infoGenerateQuantizeAndExportAHuggingFaceCheckpoint() throws Exception {
        String info = ok("info", "olmoe").out();
        assertTrue(info.contains("olmoe"), info);
        String text = ok("generate", "olmoe", "The jury said", "--max-new-tokens", "4").out();
        assertEquals(4, text.trim().split("\\s+").length, text);
        ok("quantize", "olmoe", "--to", "q8_0", "olmoe-q8");
        assertTrue(Files.isRegularFile(work.resolve("olmoe-q8/config.json")));
        ok("logits", "olmoe-q8", "1,2,3");
        ok("gguf", "export", "mixtral", "mixtral.gguf", "--type", "q8_0");
        assertTrue(Files.size(work.resolve("mixtral.gguf")) > 0);
    }

    @Test
    void zooModelsGenerateClassifyForecastAndScore() throws Exception {
        assertTrue(!ok("generate", "brown-moe", "The jury said", "--max-new-tokens", "5")
                .out().isBlank());
        assertTrue(!ok("classify", "boot.png").out().isBlank());
        StringBuilder csv = new StringBuilder("month,sales\n");
        for (int t = 0; t < 60; t++) {
            csv.append(t).append(',').append(100 + t + 10 * Math.sin(2 * Math.PI * t / 12)).append('\n');
        }
        Files.writeString(work.resolve("sales.csv"), csv);
        String forecast = ok("forecast", "sales.csv", "--column", "sales", "--horizon", "6").out();
        assertTrue(forecast.contains("\"history\""), forecast);
        ok("reward", "--prompt", "The committee met and", "--chosen", " approved the budget.",
                "--rejected", " budget approved the.");
    }
}
