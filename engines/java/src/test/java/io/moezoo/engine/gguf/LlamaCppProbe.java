package io.moezoo.engine.gguf;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.ModelParameters;
import de.kherud.llama.TokenIdPrompt;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads exported fixtures in llama.cpp and compares its greedy next tokens with the fixtures'. */
final class LlamaCppProbe {

    private LlamaCppProbe() {}

    /**
     * The expected argmax per prefix, from expected.json, over the tokens other than the config's
     * eos_token_id: {@link #greedy} ignores EOS (llama.cpp then biases it to -inf), so where the
     * reference's argmax is EOS (granitemoe, position 5) llama.cpp's token is the runner-up.
     */
    static int[][] expected(Path fixture) throws Exception {
        JsonObject e =
                JsonParser.parseString(Files.readString(fixture.resolve("expected.json")))
                        .getAsJsonObject();
        JsonObject config =
                JsonParser.parseString(Files.readString(fixture.resolve("config.json")))
                        .getAsJsonObject();
        int eos =
                config.has("eos_token_id") && config.get("eos_token_id").isJsonPrimitive()
                        ? config.get("eos_token_id").getAsInt()
                        : -1;
        JsonArray ids = e.getAsJsonArray("input_ids");
        JsonArray logits = e.getAsJsonArray("logits");
        int[] input = new int[ids.size()];
        int[] argmax = new int[ids.size()];
        for (int i = 0; i < input.length; i++) {
            input[i] = ids.get(i).getAsInt();
            JsonArray row = logits.get(i).getAsJsonArray();
            int best = eos == 0 ? 1 : 0;
            for (int v = best + 1; v < row.size(); v++) {
                if (v != eos && row.get(v).getAsDouble() > row.get(best).getAsDouble()) {
                    best = v;
                }
            }
            argmax[i] = best;
        }
        return new int[][] {input, argmax};
    }

    /** llama.cpp's greedy next token after each prefix of the fixture's input ids. */
    static int[] greedy(Path gguf, int[] input) {
        int[] out = new int[input.length];
        ModelParameters mp =
                new ModelParameters()
                        .setModel(gguf.toString())
                        .setCtxSize(64)
                        .setThreads(1)
                        .setGpuLayers(0);
        try (LlamaModel model = new LlamaModel(mp)) {
            for (int k = 1; k <= input.length; k++) {
                int[] prefix = java.util.Arrays.copyOf(input, k);
                InferenceParameters p =
                        new InferenceParameters("")
                                .setNPredict(1)
                                .setTemperature(0f)
                                .setTopK(1)
                                .setRepeatPenalty(1f)
                                .setIgnoreEos(true)
                                .setCachePrompt(false);
                TokenIdPrompt.set(p, prefix);
                String text = model.complete(p);
                byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
                out[k - 1] = bytes.length == 1 ? bytes[0] : -1000 - bytes.length;
            }
        }
        return out;
    }

    /**
     * Prints llama.cpp's greedy tokens next to the fixtures' for the named fixtures.
     *
     * @param args fixture names
     * @throws Exception if a fixture cannot be read
     */
    public static void main(String[] args) throws Exception {
        System.setProperty(
                "de.kherud.llama.tmpdir", Files.createTempDirectory("native").toString());
        Path fixtures = GgufTestFiles.fixtures();
        Path tmp = Files.createTempDirectory("llamacpp");
        for (String name : args) {
            Path out = tmp.resolve(name + ".gguf");
            try {
                GgufExport.export(fixtures.resolve(name), out, GgufType.F32);
                int[][] e = expected(fixtures.resolve(name));
                int[] got = greedy(out, e[0]);
                System.out.println(
                        "RESULT "
                                + name
                                + " expected "
                                + java.util.Arrays.toString(e[1])
                                + " llama.cpp "
                                + java.util.Arrays.toString(got));
            } catch (Throwable t) {
                System.out.println("RESULT " + name + " FAILED " + t);
            }
        }
        System.exit(0);
    }
}
