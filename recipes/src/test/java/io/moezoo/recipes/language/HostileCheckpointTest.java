package io.moezoo.recipes.language;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.moezoo.blocks.attention.AttentionSpec;
import io.moezoo.formats.Checkpoint;
import io.moezoo.formats.CheckpointFiles;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.formats.SafetensorsFile;
import io.moezoo.hf.HfCheckpoint;
import io.moezoo.hf.HfCheckpointLoader;
import io.moezoo.hf.HfConfigMapper;
import io.moezoo.hf.HostileCheckpoints;
import io.moezoo.models.language.DecoderSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every hostile config.json, index and safetensors file of {@code hostile/cases.json} is refused by
 * the library with a {@link MalformedCheckpointException} of one line that names the file and the
 * problem, without blocking, and the lowest API concerned (the config mapper, the safetensors
 * reader, the checkpoint) already refuses it with the same message.
 */
class HostileCheckpointTest {

    private static final Path MODULE = Paths.get("..", "hf");
    private static final Path OUT = Paths.get("target", "hostile");

    static Stream<HostileCheckpoints.Case> cases() throws Exception {
        return HostileCheckpoints.load(MODULE).stream();
    }

    @Test
    void theCatalogHoldsOverAHundredCasesOfEveryKind() throws Exception {
        List<HostileCheckpoints.Case> all = HostileCheckpoints.load(MODULE);
        assertTrue(all.size() >= 100, "cases: " + all.size());
        for (String api : List.of("config", "safetensors", "checkpoint", "shapes")) {
            assertTrue(all.stream().anyMatch(c -> c.api().equals(api)), api);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedWithATypedOneLineErrorNamingFileAndProblem(HostileCheckpoints.Case c)
            throws Exception {
        Path dir = HostileCheckpoints.build(c, MODULE, OUT);
        MalformedCheckpointException e = refused(() -> HfCheckpointLoader.inspect(dir));
        String message = e.getMessage();
        assertFalse(message.contains("\n"), "one line: " + message);
        assertTrue(message.startsWith(dir.toString()), "names the file: " + message);
        for (String fragment : c.expect()) {
            assertTrue(
                    message.toLowerCase(Locale.ROOT).contains(fragment.toLowerCase(Locale.ROOT)),
                    "'" + fragment + "' expected in: " + message);
        }
        Path config = dir.resolve(HfCheckpointLoader.CONFIG_FILE);
        switch (c.api()) {
            case "config" -> {
                MalformedCheckpointException lower =
                        refused(
                                () -> {
                                    HfConfigMapper.read(config);
                                    HfConfigMapper.fp8BlockSize(config);
                                });
                assertEquals(message, lower.getMessage());
            }
            case "safetensors" ->
                    assertEquals(
                            message,
                            refused(() -> SafetensorsFile.open(dir.resolve("model.safetensors")))
                                    .getMessage());
            case "checkpoint" ->
                    assertEquals(message, refused(() -> Checkpoint.open(dir)).getMessage());
            default -> {
                // The config and the files are valid: only the shape checks refuse it.
                HfConfigMapper.read(config);
                Checkpoint.open(dir);
            }
        }
    }

    private static MalformedCheckpointException refused(Executable action) {
        return assertTimeoutPreemptively(
                Duration.ofSeconds(20),
                () -> assertThrows(MalformedCheckpointException.class, action));
    }

    private static JsonObject replace(String from, String to) {
        JsonObject op = new JsonObject();
        op.addProperty("op", "replace");
        op.addProperty("file", "config.json");
        op.addProperty("from", from);
        op.addProperty("to", to);
        return op;
    }

    private static Path variant(String name, JsonObject... ops) throws Exception {
        return HostileCheckpoints.build(
                new HostileCheckpoints.Case(name, "mixtral", "none", List.of(ops), List.of()),
                MODULE,
                OUT);
    }

    @Test
    void legitimateVariantsAreStillAccepted() throws Exception {
        String[][] variants = {
            {"theta-integer", "\"rope_theta\": 10000.0", "\"rope_theta\": 10000"},
            {"act-swish", "\"hidden_act\": \"silu\"", "\"hidden_act\": \"swish\""},
            {"rope-default", "\"rope_scaling\": null", "\"rope_scaling\": {\"type\": \"default\"}"},
            {
                "rope-parameters",
                "\"rope_scaling\": null",
                "\"rope_parameters\": {\"rope_type\": \"default\", \"rope_theta\": 10000.0}"
            },
            {"eps-upper-case-exponent", "\"rms_norm_eps\": 1e-05", "\"rms_norm_eps\": 1E-5"},
        };
        for (String[] v : variants) {
            HfCheckpoint checkpoint =
                    HfCheckpointLoader.inspect(variant("accepted-" + v[0], replace(v[1], v[2])));
            assertEquals(64, checkpoint.spec().maxPositionEmbeddings(), v[0]);
            assertEquals(
                    10000.0, ((AttentionSpec) checkpoint.spec().attention()).ropeTheta(), v[0]);
        }
        // A Hugging Face cache snapshot: config.json is a link to a regular file elsewhere.
        Path dir = variant("accepted-linked-config");
        Path blob =
                Files.move(
                        dir.resolve("config.json"),
                        OUT.resolve("accepted-config-blob"),
                        StandardCopyOption.REPLACE_EXISTING);
        Files.createSymbolicLink(dir.resolve("config.json"), blob.toAbsolutePath());
        assertEquals("mixtral", HfCheckpointLoader.inspect(dir).spec().modelType());
    }

    @Test
    void mixtralWithoutRopeThetaUsesTheMixtralDefault() throws Exception {
        Path dir = variant("accepted-no-theta", replace("\"rope_theta\": 10000.0,", ""));
        DecoderSpec spec = HfConfigMapper.read(dir.resolve("config.json"));
        assertEquals(1e6, ((AttentionSpec) spec.attention()).ropeTheta());
    }

    @Test
    void theContextComesFromMaxPositionEmbeddings() throws Exception {
        Path dir =
                variant(
                        "accepted-context",
                        replace(
                                "\"max_position_embeddings\": 64",
                                "\"max_position_embeddings\": 4096"));
        DecoderSpec spec = HfCheckpointLoader.inspect(dir).spec();
        assertEquals(4096, spec.maxPositionEmbeddings());
        assertEquals(spec.toJson(), DecoderSpec.fromJson(spec.toJson()).toJson());
        assertEquals(4096, DecoderSpec.fromJson(spec.toJson()).maxPositionEmbeddings());
    }

    @Test
    void tokenizerFilesMustBeBoundedRegularUtf8() throws Exception {
        Path dir = Files.createDirectories(OUT.resolve("tokenizers"));
        Path tokenizer = dir.resolve(CheckpointFiles.TOKENIZER_FILE);
        HostileCheckpoints.delete(tokenizer);
        CheckpointFiles.checkTokenizer(dir); // none: nothing to check
        Files.writeString(tokenizer, "{\"model\": {\"vocab\": {\"caf\u00e9\": 0}}}");
        CheckpointFiles.checkTokenizer(dir);
        String[][] hostile = {
            {"ff", "not valid UTF-8 (malformed byte at offset 1)"},
            {"efbbbf7b7d", "byte-order mark"},
        };
        for (String[] h : hostile) {
            Files.write(tokenizer, java.util.HexFormat.of().parseHex("7b" + h[0]));
            if (h[0].startsWith("ef")) {
                Files.write(tokenizer, java.util.HexFormat.of().parseHex(h[0]));
            }
            assertTrue(
                    refused(() -> CheckpointFiles.checkTokenizer(dir)).getMessage().contains(h[1]),
                    h[1]);
        }
        Files.delete(tokenizer);
        try (var file = new java.io.RandomAccessFile(tokenizer.toFile(), "rw")) {
            file.setLength(io.moezoo.formats.CheckpointFiles.MAX_TOKENIZER_BYTES + 1);
        }
        assertTrue(
                refused(() -> CheckpointFiles.checkTokenizer(dir))
                        .getMessage()
                        .contains("more than the limit of 67108864 bytes"));
        Files.delete(tokenizer);
        Files.createSymbolicLink(tokenizer, Paths.get("/dev/zero"));
        assertTrue(
                refused(() -> CheckpointFiles.checkTokenizer(dir))
                        .getMessage()
                        .contains("not a regular file"));
        Files.delete(tokenizer);
        assertEquals(0, new ProcessBuilder("mkfifo", tokenizer.toString()).start().waitFor());
        assertTrue(
                refused(() -> CheckpointFiles.checkTokenizer(dir))
                        .getMessage()
                        .contains("not a regular file"));
        Files.delete(tokenizer);
    }

    @Test
    void theSpecCodecTakesOnlyAPositiveIntegerContext() {
        // The Brown spec sets a context of 128; without the field the default applies.
        com.google.gson.JsonObject json =
                com.google.gson.JsonParser.parseString(BrownLanguageModels.moeSpec().toJson())
                        .getAsJsonObject();
        assertEquals(128, json.remove("maxPositionEmbeddings").getAsInt());
        String brown = json.toString();
        assertFalse(brown.contains("maxPositionEmbeddings"), "the field is gone");
        assertEquals(
                DecoderSpec.DEFAULT_MAX_POSITION_EMBEDDINGS,
                DecoderSpec.fromJson(brown).maxPositionEmbeddings());
        String open = brown.substring(0, brown.lastIndexOf('}'));
        assertEquals(
                128,
                DecoderSpec.fromJson(open + ", \"maxPositionEmbeddings\": 128}")
                        .maxPositionEmbeddings());
        for (String bad : List.of("0", "-64", "64.5", "\"64\"", "true", "4294967360")) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () ->
                                    DecoderSpec.fromJson(
                                            open + ", \"maxPositionEmbeddings\": " + bad + "}"),
                            bad);
            assertTrue(e.getMessage().contains("maxPositionEmbeddings"), e.getMessage());
        }
    }
}
