package io.moezoo.engine.gguf;

import io.moezoo.formats.Half;
import io.moezoo.hf.HfConfigMapper;
import io.moezoo.models.language.DecoderSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Test inputs: the committed fixtures and synthetic checkpoints. */
final class GgufTestFiles {

    private GgufTestFiles() {}

    /** hf/src/test/resources/fixtures, found from the module directory. */
    static Path fixtures() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path f = dir.resolve("hf/src/test/resources/fixtures");
            if (Files.isDirectory(f)) {
                return f;
            }
            dir = dir.getParent();
        }
        throw new IllegalStateException("hf/src/test/resources/fixtures not found");
    }

    /**
     * A Mixtral checkpoint whose rows are multiples of 32 (so Q8_0/Q4_0 apply), stored as BF16,
     * per-expert keys under {@code block_sparse_moe}.
     */
    static Path wideMixtral(Path dir) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(
                dir.resolve("config.json"),
                "{\"model_type\": \"mixtral\", \"vocab_size\": 300, \"hidden_size\": 64,"
                        + " \"intermediate_size\": 96, \"num_hidden_layers\": 2,"
                        + " \"num_attention_heads\": 4, \"num_key_value_heads\": 2,"
                        + " \"max_position_embeddings\": 128, \"rms_norm_eps\": 1e-05,"
                        + " \"rope_theta\": 1000000.0, \"num_local_experts\": 4,"
                        + " \"num_experts_per_tok\": 2, \"tie_word_embeddings\": false,"
                        + " \"bos_token_id\": 1, \"eos_token_id\": 2}");
        DecoderSpec spec = HfConfigMapper.read(dir.resolve("config.json"));
        List<String> keys = new ArrayList<>();
        List<long[]> shapes = new ArrayList<>();
        for (GgufTensorPlan.Entry e : GgufTensorPlan.of(spec, "llama").entries()) {
            for (String key : e.keys()) {
                keys.add(key);
                shapes.add(e.keyShape());
            }
        }
        writeSafetensors(dir.resolve("model.safetensors"), keys, shapes, "BF16", new Random(7));
        return dir;
    }

    /**
     * A copy of a 64-token fixture with a byte-level BPE tokenizer.json: ids 0..59 are GPT-2's
     * characters of bytes 0..59, two merges (one "a b" string, one [a, b] pair), 60 and 61 added
     * tokens (special and not), 62 and 63 left free.
     */
    static Path withTokenizer(Path fixture, Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String f : List.of("config.json", "model.safetensors")) {
            Files.copy(fixture.resolve(f), dir.resolve(f));
        }
        String[] bytes = GgufTokenizer.byteChars();
        com.google.gson.JsonObject vocab = new com.google.gson.JsonObject();
        for (int i = 0; i < 60; i++) {
            vocab.addProperty(bytes[i], i);
        }
        com.google.gson.JsonObject model = new com.google.gson.JsonObject();
        model.addProperty("type", "BPE");
        model.add("vocab", vocab);
        com.google.gson.JsonArray merges = new com.google.gson.JsonArray();
        merges.add("! \"");
        com.google.gson.JsonArray pair = new com.google.gson.JsonArray();
        pair.add("#");
        pair.add("$");
        merges.add(pair);
        model.add("merges", merges);
        com.google.gson.JsonArray added = new com.google.gson.JsonArray();
        for (int i = 60; i < 62; i++) {
            com.google.gson.JsonObject t = new com.google.gson.JsonObject();
            t.addProperty("id", i);
            t.addProperty("content", i == 60 ? "<s>" : "<extra>");
            t.addProperty("special", i == 60);
            added.add(t);
        }
        com.google.gson.JsonObject root = new com.google.gson.JsonObject();
        root.add("model", model);
        root.add("added_tokens", added);
        Files.writeString(dir.resolve("tokenizer.json"), root.toString());
        return dir;
    }

    /** Writes random values (norms near 1) in F32 or BF16. */
    static void writeSafetensors(
            Path file, List<String> keys, List<long[]> shapes, String dtype, Random random)
            throws IOException {
        int size = dtype.equals("F32") ? 4 : 2;
        StringBuilder header = new StringBuilder("{");
        long offset = 0;
        for (int i = 0; i < keys.size(); i++) {
            long n = Arrays.stream(shapes.get(i)).reduce(1, (a, b) -> a * b);
            header.append(i == 0 ? "" : ",")
                    .append('"')
                    .append(keys.get(i))
                    .append("\":{\"dtype\":\"")
                    .append(dtype)
                    .append("\",\"shape\":")
                    .append(Arrays.toString(shapes.get(i)).replace(" ", ""))
                    .append(",\"data_offsets\":[")
                    .append(offset)
                    .append(',')
                    .append(offset + n * size)
                    .append("]}");
            offset += n * size;
        }
        header.append('}');
        while ((header.length() + 8) % 8 != 0) {
            header.append(' ');
        }
        byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b =
                ByteBuffer.allocate((int) (8 + h.length + offset)).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        for (int i = 0; i < keys.size(); i++) {
            long n = Arrays.stream(shapes.get(i)).reduce(1, (x, y) -> x * y);
            boolean norm = keys.get(i).endsWith("norm.weight");
            for (long j = 0; j < n; j++) {
                float v =
                        (float)
                                (norm
                                        ? 1 + 0.1 * random.nextGaussian()
                                        : 0.2 * random.nextGaussian());
                if (size == 4) {
                    b.putFloat(v);
                } else {
                    b.putShort(GgufCodec.toBf16(v));
                }
            }
        }
        Files.write(file, b.array());
    }

    /** Decodes a float32 or bf16 array, for tests only. */
    static float bf16(short bits) {
        return Half.bf16(bits);
    }
}
