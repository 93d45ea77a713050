package io.moezoo.engine.gguf;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.moezoo.formats.CheckpointFiles;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.formats.StrictJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The {@code tokenizer.ggml.*} metadata llama.cpp needs to load a file.
 *
 * <p>From a byte-level BPE {@code tokenizer.json} (GPT-2 style): model {@code gpt2}, pre-tokenizer
 * {@code default}, the tokens by id (ids the tokenizer leaves free are {@code [PAD<id>]}, type
 * unused), their types (1 normal, 3 control for special added tokens, 4 user-defined for other
 * added tokens, 5 unused) and the merges. SentencePiece-style BPE ({@code byte_fallback}) and other
 * models are refused, since llama.cpp would need other metadata for them.
 *
 * <p>Without a {@code tokenizer.json}, a minimal valid vocabulary of the embedding's size: model
 * {@code gpt2} without merges, token {@code i < 256} the GPT-2 byte-to-unicode character of byte i
 * (so every byte, newline included, is a token and llama.cpp's detokenizer can print any id), token
 * {@code i >= 256} {@code <|i|>}, all normal. In both cases {@code bos/eos_token_id} come from
 * config.json when they are in range, and {@code add_bos_token} is false.
 */
final class GgufTokenizer {

    /** The tokenizer file of a checkpoint directory. */
    static final String FILE = "tokenizer.json";

    private GgufTokenizer() {}

    static void metadata(Path dir, JsonObject config, int vocab, Map<String, GgufValue> out)
            throws IOException, MalformedCheckpointException {
        Path file = dir.resolve(FILE);
        List<String> tokens;
        List<Long> types;
        List<String> merges = new ArrayList<>();
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            String[] byId = new String[vocab];
            long[] typeById = new long[vocab];
            bpe(file, byId, typeById, merges);
            tokens = new ArrayList<>();
            types = new ArrayList<>();
            for (int i = 0; i < vocab; i++) {
                tokens.add(byId[i] != null ? byId[i] : "[PAD" + i + "]");
                types.add(byId[i] != null ? typeById[i] : 5L);
            }
        } else {
            tokens = minimal(vocab);
            types = new ArrayList<>();
            for (int i = 0; i < vocab; i++) {
                types.add(1L);
            }
        }
        out.put("tokenizer.ggml.model", GgufValue.string("gpt2"));
        out.put("tokenizer.ggml.pre", GgufValue.string("default"));
        out.put("tokenizer.ggml.tokens", GgufValue.array(GgufValueType.STRING, tokens));
        out.put("tokenizer.ggml.token_type", GgufValue.array(GgufValueType.INT32, types));
        out.put("tokenizer.ggml.merges", GgufValue.array(GgufValueType.STRING, merges));
        special(config, "bos_token_id", "tokenizer.ggml.bos_token_id", vocab, out);
        special(config, "eos_token_id", "tokenizer.ggml.eos_token_id", vocab, out);
        out.put("tokenizer.ggml.add_bos_token", GgufValue.bool(false));
    }

    private static void special(
            JsonObject config, String field, String key, int vocab, Map<String, GgufValue> out) {
        JsonElement e = config.get(field);
        if (e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            double id = e.getAsDouble();
            if (id >= 0 && id < vocab && id == Math.rint(id)) {
                out.put(key, GgufValue.u32((long) id));
            }
        }
    }

    /** GPT-2's byte-to-unicode map: printable bytes stand for themselves, the others 256 + n. */
    static String[] byteChars() {
        boolean[] printable = new boolean[256];
        for (int b = 0; b < 256; b++) {
            printable[b] = (b >= '!' && b <= '~') || (b >= 0xa1 && b <= 0xac) || (b >= 0xae);
        }
        String[] chars = new String[256];
        int n = 0;
        for (int b = 0; b < 256; b++) {
            chars[b] = new String(Character.toChars(printable[b] ? b : 256 + n++));
        }
        return chars;
    }

    static List<String> minimal(int vocab) {
        String[] bytes = byteChars();
        List<String> tokens = new ArrayList<>(vocab);
        for (int i = 0; i < vocab; i++) {
            tokens.add(i < 256 ? bytes[i] : "<|" + i + "|>");
        }
        return tokens;
    }

    private static void bpe(Path file, String[] byId, long[] types, List<String> merges)
            throws IOException, MalformedCheckpointException {
        JsonElement root =
                StrictJson.parse(
                        CheckpointFiles.readUtf8(file, CheckpointFiles.MAX_TOKENIZER_BYTES),
                        file.toString());
        JsonObject model =
                root.isJsonObject() && root.getAsJsonObject().get("model") instanceof JsonObject o
                        ? o
                        : null;
        if (model == null || !"BPE".equals(string(model.get("type")))) {
            throw new MalformedCheckpointException(
                    file
                            + ": only byte-level BPE tokenizers (model.type \"BPE\") are exported to GGUF");
        }
        if (model.get("byte_fallback") != null
                && model.get("byte_fallback").isJsonPrimitive()
                && model.get("byte_fallback").getAsBoolean()) {
            throw new MalformedCheckpointException(
                    file
                            + ": a SentencePiece-style BPE tokenizer (byte_fallback) is not exported:"
                            + " llama.cpp would need tokenizer.ggml.model \"llama\" with scores");
        }
        if (!(model.get("vocab") instanceof JsonObject vocab)) {
            throw new MalformedCheckpointException(file + ": model.vocab is not an object");
        }
        for (Map.Entry<String, JsonElement> e : vocab.entrySet()) {
            put(file, byId, types, e.getKey(), e.getValue(), 1);
        }
        if (root.getAsJsonObject().get("added_tokens") instanceof JsonArray added) {
            for (JsonElement t : added) {
                if (t instanceof JsonObject o) {
                    boolean special = o.has("special") && o.get("special").getAsBoolean();
                    put(file, byId, types, string(o.get("content")), o.get("id"), special ? 3 : 4);
                }
            }
        }
        if (model.get("merges") instanceof JsonArray list) {
            for (JsonElement m : list) {
                if (m.isJsonArray() && m.getAsJsonArray().size() == 2) {
                    merges.add(
                            string(m.getAsJsonArray().get(0))
                                    + " "
                                    + string(m.getAsJsonArray().get(1)));
                } else if (string(m) != null) {
                    merges.add(string(m));
                } else {
                    throw new MalformedCheckpointException(
                            file + ": a merge is neither \"a b\" nor [a, b]");
                }
            }
        }
        if (Arrays.stream(byId).allMatch(t -> t == null)) {
            throw new MalformedCheckpointException(file + ": the vocabulary is empty");
        }
    }

    private static void put(
            Path file, String[] byId, long[] types, String token, JsonElement id, long type)
            throws MalformedCheckpointException {
        if (token == null
                || id == null
                || !id.isJsonPrimitive()
                || !id.getAsJsonPrimitive().isNumber()) {
            throw new MalformedCheckpointException(
                    file + ": a token without a string and an integer id");
        }
        double d = id.getAsDouble();
        if (d < 0 || d >= byId.length || d != Math.rint(d)) {
            throw new MalformedCheckpointException(
                    file
                            + ": token id "
                            + id
                            + " is outside the model's vocabulary of "
                            + byId.length);
        }
        int i = (int) d;
        if (byId[i] != null && !byId[i].equals(token)) {
            throw new MalformedCheckpointException(file + ": token id " + i + " is given twice");
        }
        byId[i] = token;
        types[i] = type;
    }

    private static String string(JsonElement e) {
        return e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()
                ? e.getAsString()
                : null;
    }
}
