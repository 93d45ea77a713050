package io.moezoo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** The command line against reference logits, and its error paths. */
class MoeZooCliTest {

    private static final Path FIXTURE =
            Paths.get("..", "hf", "src", "test", "resources", "fixtures", "olmoe");

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = MoeZooCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void logitsPrintsTheReferenceLogitsAsJson() throws Exception {
        JsonObject expected =
                JsonParser.parseString(Files.readString(FIXTURE.resolve("expected.json")))
                        .getAsJsonObject();
        StringBuilder ids = new StringBuilder();
        for (var id : expected.getAsJsonArray("input_ids")) {
            ids.append(ids.length() == 0 ? "" : ",").append(id.getAsLong());
        }
        Result r = run("logits", FIXTURE.toString(), ids.toString());
        assertEquals(0, r.code(), r.err());
        JsonArray actual =
                JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonArray("logits");
        JsonArray reference = expected.getAsJsonArray("logits");
        assertEquals(reference.size(), actual.size());
        for (int p = 0; p < reference.size(); p++) {
            JsonArray a = actual.get(p).getAsJsonArray();
            JsonArray e = reference.get(p).getAsJsonArray();
            assertEquals(e.size(), a.size());
            for (int v = 0; v < e.size(); v++) {
                assertTrue(
                        Math.abs(e.get(v).getAsDouble() - a.get(v).getAsDouble()) <= 1e-4,
                        "position " + p + " vocab " + v);
            }
        }
    }

    @Test
    void generateContinuesAPromptDeterministically() throws Exception {
        Path dir = Files.createDirectories(Paths.get("target", "generate-model"));
        for (String f : new String[] {"config.json", "model.safetensors"}) {
            Files.copy(
                    FIXTURE.resolve(f),
                    dir.resolve(f),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        StringBuilder vocab = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            vocab.append(i == 0 ? "" : ",").append("\"w").append(i).append("\":").append(i);
        }
        Files.writeString(
                dir.resolve("tokenizer.json"),
                "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":[],\"normalizer\":null,"
                        + "\"pre_tokenizer\":{\"type\":\"Whitespace\"},\"post_processor\":null,\"decoder\":null,"
                        + "\"model\":{\"type\":\"WordLevel\",\"vocab\":{"
                        + vocab
                        + "},\"unk_token\":\"w0\"}}");
        Result first = run("generate", dir.toString(), "w5 w17 w42", "--max-new-tokens", "5");
        assertEquals(0, first.code(), first.err());
        String[] words = first.out().trim().split(" ");
        assertEquals(5, words.length, first.out());
        for (String w : words) {
            assertTrue(w.matches("w\\d+"), w);
        }
        assertEquals(
                first.out(),
                run("generate", dir.toString(), "w5 w17 w42", "--max-new-tokens", "5").out());
        Result sampled =
                run(
                        "generate",
                        dir.toString(),
                        "w5",
                        "--max-new-tokens",
                        "4",
                        "--temperature",
                        "0.8",
                        "--seed",
                        "3");
        assertEquals(
                sampled.out(),
                run(
                                "generate",
                                dir.toString(),
                                "w5",
                                "--max-new-tokens",
                                "4",
                                "--temperature",
                                "0.8",
                                "--seed",
                                "3")
                        .out());
        Result noTokenizer = run("generate", FIXTURE.toString(), "w1");
        assertEquals(MoeZooCli.BAD_INPUT, noTokenizer.code());
        assertTrue(noTokenizer.err().startsWith("error: no tokenizer.json"), noTokenizer.err());
        Result badTemperature = run("generate", dir.toString(), "w1", "--temperature", "-1");
        assertEquals(MoeZooCli.BAD_INPUT, badTemperature.code());
        assertTrue(badTemperature.err().contains("temperature must be"), badTemperature.err());
    }

    @Test
    void badArgumentsGiveOneClearLineAndANonZeroExitCode() {
        Result missing = run("logits", "no/such/dir", "1,2");
        assertEquals(MoeZooCli.BAD_INPUT, missing.code());
        assertEquals("error: checkpoint directory not found: no/such/dir", missing.err().trim());
        Result badIds = run("logits", FIXTURE.toString(), "1,x");
        assertEquals(MoeZooCli.BAD_INPUT, badIds.code());
        assertTrue(
                badIds.err().trim().startsWith("error: token ids must be comma-separated integers"),
                badIds.err());
        Result outOfVocab = run("logits", FIXTURE.toString(), "1,999");
        assertEquals(MoeZooCli.BAD_INPUT, outOfVocab.code());
        assertTrue(
                outOfVocab.err().contains("Token id 999 is outside the vocabulary"),
                outOfVocab.err());
        assertEquals(1, outOfVocab.err().trim().lines().count(), "one line, no stack trace");
        Result verbose = run("--verbose", "logits", FIXTURE.toString(), "1,999");
        assertTrue(verbose.err().contains("at io.moezoo"), "stack trace with --verbose");
        Result usage = run("logits");
        assertEquals(2, usage.code());
        assertTrue(usage.err().contains("Missing required parameters"), usage.err());
        assertEquals(2, run("no-such-command").code());
        assertEquals(0, run("--help").code());
    }

    @Test
    void modelsListsEveryZooModelWithItsCard() {
        Result table = run("models");
        assertEquals(0, table.code(), table.err());
        for (String id : io.moezoo.zoo.ZooCatalog.artifactIds()) {
            assertTrue(table.out().contains(id), table.out());
        }
        Result json = run("models", "--json");
        assertEquals(0, json.code(), json.err());
        com.google.gson.JsonArray cards =
                com.google.gson.JsonParser.parseString(json.out()).getAsJsonArray();
        assertEquals(io.moezoo.zoo.ZooCatalog.entries().size(), cards.size());
        for (com.google.gson.JsonElement e : cards) {
            com.google.gson.JsonObject card = e.getAsJsonObject();
            assertTrue(
                    card.has("metrics") && card.has("command") && card.has("seed"),
                    card.toString());
            assertTrue(
                    card.get("activatedParameters").getAsLong()
                            <= card.get("totalParameters").getAsLong());
        }
    }

    @Test
    void generateTakesAZooModelId() {
        Result a = run("generate", "brown-moe", "The jury said", "--max-new-tokens", "6");
        assertEquals(0, a.code(), a.err());
        assertTrue(!a.out().isBlank());
        assertEquals(
                a.out(),
                run("generate", "brown-moe", "The jury said", "--max-new-tokens", "6").out());
        Result unknown = run("generate", "no-such-model", "hello");
        assertEquals(1, unknown.code());
        assertTrue(
                unknown.err().contains("neither a checkpoint directory nor a zoo model"),
                unknown.err());
        assertTrue(unknown.err().contains("brown-moe"), unknown.err());
    }

    @Test
    void infoDescribesZooModelsAndCheckpoints() {
        Result zoo = run("info", "brown-moe", "--json");
        assertEquals(0, zoo.code(), zoo.err());
        com.google.gson.JsonObject info =
                com.google.gson.JsonParser.parseString(zoo.out()).getAsJsonObject();
        assertEquals("nlp/text_generation", info.get("application").getAsString());
        assertTrue(info.getAsJsonObject("files").has("model.safetensors"), zoo.out());
        // By hand: tied embedding 2,257 x 128, final norm 128; per layer q, k, v, o 4 x 128^2,
        // two norms 2 x 128, router 128 x 8, 8 SwiGLU experts 8 x 3 x 128^2.
        long perLayer = 4 * 128 * 128 + 2 * 128 + 128 * 8 + 8 * 3 * 128 * 128;
        assertEquals(
                2257L * 128 + 128 + 4 * perLayer,
                info.getAsJsonObject("card").get("totalParameters").getAsLong());

        // The architecture of a checkpoint: InfoCommandTest.
        Result checkpoint = run("info", FIXTURE.toString());
        assertEquals(0, checkpoint.code(), checkpoint.err());
        assertTrue(checkpoint.out().startsWith("checkpoint "), checkpoint.out());

        Result bad = run("info", "nope");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("neither a checkpoint directory nor a zoo model"), bad.err());
    }

    @Test
    void benchPrintsRatiosAgainstTheDenseBaseline() {
        Result r = run("bench", "--tokens", "32", "--iterations", "1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("| sorted dispatch (ours, default) |"), r.out());
        assertTrue(r.out().contains("1.00x"), "the dense row is its own baseline: " + r.out());
        Result bad = run("bench", "--tokens", "0");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("--tokens and --iterations must be > 0"), bad.err());
    }

    @Test
    void zooBuildRejectsUnknownModelsAndMissingRepositories() {
        Result unknown = run("zoo", "build", "--only", "nope");
        assertEquals(1, unknown.code());
        assertTrue(unknown.err().contains("No zoo model 'nope'"), unknown.err());
        Result missing = run("zoo", "build", "--repository", "no/such/dir");
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("does not exist"), missing.err());
        assertEquals(0, run("zoo", "build", "--help").code());
    }

    @Test
    void trainLearnsTheMultiDomainTaskFromASpecFile() throws Exception {
        java.nio.file.Path spec = java.nio.file.Files.createTempFile("layer", ".json");
        java.nio.file.Files.writeString(
                spec,
                io.moezoo.blocks.spec.MoeLayerSpec.of(
                                io.moezoo.blocks.spec.RouterPresets.mixtral(4, 2),
                                new io.moezoo.blocks.spec.SwiGluExpertSpec(4, 16, 32))
                        .toJson());
        Result r = run("train", "--spec", spec.toString(), "--layers", "1", "--epochs", "3");
        assertEquals(0, r.code(), r.err());
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("test accuracy (0\\.\\d+)").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertTrue(Double.parseDouble(m.group(1)) > 0.5, "well above chance 0.25: " + r.out());
        assertTrue(r.out().contains("mutual information"), r.out());

        java.nio.file.Files.writeString(spec, "{\"router\": {\"type\": \"SWITCH\"}}");
        Result bad = run("train", "--spec", spec.toString());
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("\"router\" and \"experts\""), bad.err());
        Result dataset = run("train", "--dataset", "imagenet");
        assertEquals(1, dataset.code());
        assertTrue(dataset.err().contains("supported: multi-domain"), dataset.err());
    }

    @Test
    void forecastPrintsJsonForACsvColumn() throws Exception {
        java.nio.file.Path csv = java.nio.file.Files.createTempFile("series", ".csv");
        StringBuilder text = new StringBuilder("month,sales\n");
        for (int t = 0; t < 60; t++) {
            text.append(t)
                    .append(',')
                    .append(100 + t + 10 * Math.sin(2 * Math.PI * t / 12))
                    .append('\n');
        }
        java.nio.file.Files.writeString(csv, text);
        Result r = run("forecast", csv.toString(), "--column", "sales", "--horizon", "6");
        assertEquals(0, r.code(), r.err());
        com.google.gson.JsonObject json =
                com.google.gson.JsonParser.parseString(r.out()).getAsJsonObject();
        assertEquals(60, json.get("history").getAsInt());
        com.google.gson.JsonArray forecast = json.getAsJsonArray("forecast");
        assertEquals(6, forecast.size());
        com.google.gson.JsonArray low = json.getAsJsonObject("quantiles").getAsJsonArray("0.1");
        com.google.gson.JsonArray high = json.getAsJsonObject("quantiles").getAsJsonArray("0.9");
        for (int i = 0; i < 6; i++) {
            double f = forecast.get(i).getAsDouble();
            assertTrue(f > 50 && f < 250, "plausible level: " + f);
            assertTrue(low.get(i).getAsDouble() <= f && f <= high.get(i).getAsDouble());
        }
        Result column = run("forecast", csv.toString(), "--column", "price", "--horizon", "6");
        assertEquals(1, column.code());
        assertTrue(
                column.err().contains("no column 'price'; columns are [month, sales]"),
                column.err());
        Result horizon = run("forecast", csv.toString(), "--column", "sales", "--horizon", "0");
        assertEquals(1, horizon.code());
        assertTrue(horizon.err().contains("--horizon must be > 0"), horizon.err());
        Result missing = run("forecast", "no.csv", "--column", "sales", "--horizon", "3");
        assertEquals(1, missing.code());
        assertEquals(2, run("forecast", csv.toString()).code());
    }

    @Test
    void rewardScoresResponsesAndPairs() {
        String prompt = "The committee met on Friday and";
        String good = " approved the budget for the new school.";
        String bad = " school the budget new approved for the.";
        Result pair = run("reward", "--prompt", prompt, "--chosen", good, "--rejected", bad);
        assertEquals(0, pair.code(), pair.err());
        com.google.gson.JsonObject json =
                com.google.gson.JsonParser.parseString(pair.out()).getAsJsonObject();
        double p = json.get("probabilityChosenPreferred").getAsDouble();
        double rc = json.getAsJsonObject("chosen").get("score").getAsDouble();
        double rr = json.getAsJsonObject("rejected").get("score").getAsDouble();
        assertEquals(1 / (1 + Math.exp(-(rc - rr))), p, 1e-5, "sigmoid of the reward difference");
        assertTrue(json.getAsJsonObject("chosen").has("category"), pair.out());

        Result single =
                run("reward", "--model", "armorm-brown", "--prompt", prompt, "--response", good);
        assertEquals(0, single.code(), single.err());
        com.google.gson.JsonObject weights =
                com.google.gson.JsonParser.parseString(single.out())
                        .getAsJsonObject()
                        .getAsJsonObject("reward")
                        .getAsJsonObject("objectiveWeights");
        double sum = 0;
        for (String k : weights.keySet()) {
            assertTrue(weights.get(k).getAsDouble() >= 0);
            sum += weights.get(k).getAsDouble();
        }
        assertEquals(1, sum, 1e-5, "gating weights sum to one");

        Result neither = run("reward", "--prompt", prompt);
        assertEquals(1, neither.code());
        assertTrue(neither.err().contains("either --response, or both --chosen and --rejected"));
        Result empty = run("reward", "--prompt", prompt, "--response", "");
        assertEquals(1, empty.code());
        assertTrue(empty.err().startsWith("error: "), empty.err());
    }

    @Test
    void classifyLabelsFashionMnistImages() throws Exception {
        io.moezoo.recipes.vision.FashionMnist test =
                io.moezoo.recipes.vision.FashionMnist.load(
                        io.moezoo.recipes.vision.FashionMnist.Split.TEST);
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("images");
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("classify"));
        int[] picks = {0, 1, 2, 3, 4, 5, 6, 7};
        for (int i : picks) {
            java.nio.file.Path png = dir.resolve("img" + i + ".png");
            try (java.io.OutputStream o = java.nio.file.Files.newOutputStream(png)) {
                test.image(i).save(o, "png");
            }
            args.add(png.toString());
        }
        Result r = run(args.toArray(new String[0]));
        assertEquals(0, r.code(), r.err());
        com.google.gson.JsonArray results =
                com.google.gson.JsonParser.parseString(r.out()).getAsJsonArray();
        assertEquals(picks.length, results.size());
        int correct = 0;
        for (int k = 0; k < picks.length; k++) {
            String best =
                    results.get(k)
                            .getAsJsonObject()
                            .getAsJsonArray("top")
                            .get(0)
                            .getAsJsonObject()
                            .get("class")
                            .getAsString();
            if (best.equals(
                    io.moezoo.recipes.vision.FashionMnist.CLASS_NAMES.get(test.label(picks[k])))) {
                correct++;
            }
        }
        assertTrue(correct >= 6, correct + " of 8 first test images right: " + r.out());

        java.nio.file.Path big = dir.resolve("big.png");
        javax.imageio.ImageIO.write(
                new java.awt.image.BufferedImage(
                        32, 32, java.awt.image.BufferedImage.TYPE_BYTE_GRAY),
                "png",
                big.toFile());
        Result wrongSize = run("classify", big.toString());
        assertEquals(1, wrongSize.code());
        assertTrue(wrongSize.err().contains("28"), wrongSize.err());
        java.nio.file.Path text = dir.resolve("notes.png");
        java.nio.file.Files.writeString(text, "not an image");
        Result notImage = run("classify", text.toString());
        assertEquals(1, notImage.code());
        assertTrue(notImage.err().contains("notes.png"), notImage.err());
        assertEquals(1, run("classify", "missing.png").code());
    }

    @Test
    void demoRunsEveryFamilyAndWritesValidPlots() throws Exception {
        java.nio.file.Path out = java.nio.file.Files.createTempDirectory("demo");
        Result r = run("demo", "--out", out.toString(), "--images", "200", "--epochs", "1");
        assertEquals(0, r.code(), r.err());
        for (String section :
                new String[] {
                    "== Language", "== Vision", "== Time series", "== Reward", "== Training"
                }) {
            assertTrue(r.out().contains(section), section + " missing: " + r.out());
        }
        java.util.regex.Matcher accuracy =
                java.util.regex.Pattern.compile("first 200 official test images: (0\\.\\d+)")
                        .matcher(r.out());
        assertTrue(accuracy.find(), r.out());
        assertTrue(Double.parseDouble(accuracy.group(1)) > 0.8, r.out());
        for (String name :
                new String[] {
                    "routing-heatmap.png",
                    "expert-load.png",
                    "confusion-matrix.png",
                    "forecast.png",
                    "training-curves.png"
                }) {
            java.nio.file.Path png = out.resolve(name);
            byte[] bytes = java.nio.file.Files.readAllBytes(png);
            assertTrue(bytes.length > 5_000, name + " is only " + bytes.length + " bytes");
            assertEquals((byte) 0x89, bytes[0], name);
            assertEquals('P', bytes[1], name);
            assertEquals('N', bytes[2], name);
            assertEquals('G', bytes[3], name);
            java.awt.image.BufferedImage image = javax.imageio.ImageIO.read(png.toFile());
            assertTrue(image.getWidth() >= 400 && image.getHeight() >= 200, name);
            java.util.Set<Integer> colours = new java.util.HashSet<>();
            for (int y = 0; y < image.getHeight(); y += 7) {
                for (int x = 0; x < image.getWidth(); x += 7) {
                    colours.add(image.getRGB(x, y));
                }
            }
            assertTrue(colours.size() > 5, name + " looks blank");
        }
        Result bad = run("demo", "--images", "0");
        assertEquals(1, bad.code());
        assertTrue(bad.err().contains("--images must be in 1..10000"), bad.err());
    }

    @Test
    void commandsWritePlotsOnRequest() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("plots");
        java.nio.file.Path heat = dir.resolve("routing.png");
        Result g =
                run(
                        "generate",
                        "brown-moe",
                        "The jury said",
                        "--max-new-tokens",
                        "2",
                        "--routing-plot",
                        heat.toString(),
                        "--layer",
                        "3");
        assertEquals(0, g.code(), g.err());
        assertTrue(javax.imageio.ImageIO.read(heat.toFile()).getWidth() > 100);
        Result badLayer =
                run(
                        "generate",
                        "brown-moe",
                        "The jury said",
                        "--max-new-tokens",
                        "1",
                        "--routing-plot",
                        heat.toString(),
                        "--layer",
                        "4");
        assertEquals(1, badLayer.code());
        assertTrue(badLayer.err().contains("--layer must be in 0..3"), badLayer.err());

        java.nio.file.Path csv = dir.resolve("s.csv");
        StringBuilder text = new StringBuilder("v\n");
        for (int t = 0; t < 40; t++) {
            text.append(5 + Math.sin(t / 2.0)).append('\n');
        }
        java.nio.file.Files.writeString(csv, text);
        java.nio.file.Path fc = dir.resolve("forecast.png");
        Result f =
                run(
                        "forecast",
                        csv.toString(),
                        "--column",
                        "v",
                        "--horizon",
                        "4",
                        "--plot",
                        fc.toString());
        assertEquals(0, f.code(), f.err());
        assertTrue(javax.imageio.ImageIO.read(fc.toFile()).getHeight() > 100);

        Result t =
                run(
                        "train",
                        "--layers",
                        "1",
                        "--epochs",
                        "1",
                        "--plots",
                        dir.resolve("train").toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(java.nio.file.Files.size(dir.resolve("train/training-curves.png")) > 5_000);
        assertTrue(java.nio.file.Files.size(dir.resolve("train/expert-load.png")) > 5_000);
    }
}
