package io.moezoo.engine;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * The Hugging Face parity fixtures of the zoo module ({@code hf/src/test/resources/fixtures}): tiny
 * checkpoints and the logits a transcription of the reference forward pass gives for their {@code
 * input_ids} ({@code hf/src/test/python/make_fixtures.py}).
 */
public final class Fixtures {

    /** The fixtures directory. */
    public static final Path DIR =
            Paths.get("..", "..", "hf", "src", "test", "resources", "fixtures");

    private final JsonObject expected;

    private Fixtures(JsonObject expected) {
        this.expected = expected;
    }

    /**
     * Reads a fixture's expected outputs.
     *
     * @param name the fixture
     * @return the expectations
     * @throws IOException if the file cannot be read
     */
    public static Fixtures of(String name) throws IOException {
        return new Fixtures(
                JsonParser.parseString(Files.readString(DIR.resolve(name).resolve("expected.json")))
                        .getAsJsonObject());
    }

    /**
     * Returns the input ids.
     *
     * @return the ids
     */
    public long[] ids() {
        JsonArray a = expected.getAsJsonArray("input_ids");
        long[] ids = new long[a.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = a.get(i).getAsLong();
        }
        return ids;
    }

    /**
     * Returns the reference logits of a position.
     *
     * @param position the position
     * @return the vocabulary's logits
     */
    public float[] logits(int position) {
        JsonArray row = expected.getAsJsonArray("logits").get(position).getAsJsonArray();
        float[] out = new float[row.size()];
        for (int v = 0; v < out.length; v++) {
            out[v] = row.get(v).getAsFloat();
        }
        return out;
    }

    /**
     * Returns the largest absolute difference between a position's reference logits and actual
     * values.
     *
     * @param position the position
     * @param actual the actual logits
     * @param offset where the position's logits start in actual
     * @return the largest difference
     */
    public double maxError(int position, float[] actual, int offset) {
        float[] want = logits(position);
        double worst = 0;
        for (int v = 0; v < want.length; v++) {
            worst = Math.max(worst, Math.abs(want[v] - actual[offset + v]));
        }
        return worst;
    }
}
