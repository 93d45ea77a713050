package io.moezoo.recipes.parallel;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/**
 * The routing of a model's MoE layers over a set of input sequences: for every sequence, layer,
 * token and routing slot, the expert the router chose (-1 for an empty slot).
 *
 * <p>A sequence is the unit a data-parallel worker holds: a 64-token window of text, one image, one
 * context window of a series. The text form ({@code moezoo-routing-trace/1}, gzip-compressed when
 * the file name ends in {@code .gz}) is line-based:
 *
 * <pre>
 * moezoo-routing-trace/1
 * model brown-moe
 * version 0.1.0
 * source held-out Brown windows, choices before any capacity limit
 * hidden 96
 * experts 8
 * slots 2
 * layers 4
 * sequences 2
 * seq 3                      (tokens of sequence 0)
 * 5 1 0 7 2 2                (layer 0: tokens × slots expert ids, token-major)
 * ...                        (one line per further layer)
 * seq 2                      (sequence 1, and so on)
 * ...
 * </pre>
 *
 * @param model the zoo artifact id
 * @param version the artifact version the trace was recorded from
 * @param source what was routed and whether the choices precede the model's own capacity limit
 * @param hiddenSize H, the width of the rows an all-to-all would move
 * @param numExperts E
 * @param slots k, the routing slots per token
 * @param numLayers the MoE layers
 * @param sequences the sequences
 */
public record RoutingTrace(
        String model,
        String version,
        String source,
        int hiddenSize,
        int numExperts,
        int slots,
        int numLayers,
        List<Sequence> sequences) {

    /** The first line of the text form. */
    public static final String FORMAT = "moezoo-routing-trace/1";

    /**
     * One sequence: its token count and, per layer, the expert of every (token, slot).
     *
     * @param tokens the tokens
     * @param choices {@code [layer][tokens · slots]} expert ids, -1 for an empty slot
     */
    public record Sequence(int tokens, int[][] choices) {}

    /**
     * Validates the sizes and expert ids.
     *
     * @param model the artifact id
     * @param version the version
     * @param source the source description
     * @param hiddenSize H
     * @param numExperts E
     * @param slots k
     * @param numLayers the layers
     * @param sequences the sequences
     */
    public RoutingTrace {
        if (hiddenSize < 1 || numExperts < 1 || slots < 1 || numLayers < 1) {
            throw new IllegalArgumentException("hidden, experts, slots and layers must be >= 1");
        }
        if (model.isBlank() || model.contains("\n") || source.contains("\n")) {
            throw new IllegalArgumentException("model and source must be single lines");
        }
        for (Sequence s : sequences) {
            if (s.tokens() < 1 || s.choices().length != numLayers) {
                throw new IllegalArgumentException("a sequence needs tokens and every layer");
            }
            for (int[] layer : s.choices()) {
                if (layer.length != s.tokens() * slots) {
                    throw new IllegalArgumentException("a layer needs tokens × slots choices");
                }
                for (int e : layer) {
                    if (e < -1 || e >= numExperts) {
                        throw new IllegalArgumentException("expert id out of range: " + e);
                    }
                }
            }
        }
        sequences = List.copyOf(sequences);
    }

    /**
     * Returns the total number of tokens.
     *
     * @return the tokens over all sequences
     */
    public long totalTokens() {
        return sequences.stream().mapToLong(Sequence::tokens).sum();
    }

    /**
     * Writes the text form (gzip when the name ends in {@code .gz}).
     *
     * @param file the file
     * @throws IOException if it cannot be written
     */
    public void write(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (OutputStream raw = Files.newOutputStream(file);
                OutputStream out =
                        file.toString().endsWith(".gz") ? new GZIPOutputStream(raw) : raw;
                BufferedWriter w =
                        new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8))) {
            w.write(FORMAT + "\nmodel " + model + "\nversion " + version + "\nsource " + source);
            w.write("\nhidden " + hiddenSize + "\nexperts " + numExperts + "\nslots " + slots);
            w.write("\nlayers " + numLayers + "\nsequences " + sequences.size() + "\n");
            for (Sequence s : sequences) {
                w.write("seq " + s.tokens() + "\n");
                for (int[] layer : s.choices()) {
                    StringBuilder line = new StringBuilder(layer.length * 2);
                    for (int i = 0; i < layer.length; i++) {
                        line.append(i == 0 ? "" : " ").append(layer[i]);
                    }
                    w.write(line.append('\n').toString());
                }
            }
        }
    }

    /**
     * Reads the text form.
     *
     * @param file the file (gzip when the name ends in {@code .gz})
     * @return the trace
     * @throws IOException if it cannot be read or is malformed (the message names the line)
     */
    public static RoutingTrace read(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
                InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
                BufferedReader r =
                        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            Lines lines = new Lines(r, file);
            if (!FORMAT.equals(lines.next())) {
                throw lines.error("not a " + FORMAT + " file");
            }
            String model = lines.field("model");
            String version = lines.field("version");
            String source = lines.field("source");
            int hidden = lines.intField("hidden");
            int experts = lines.intField("experts");
            int slots = lines.intField("slots");
            int layers = lines.intField("layers");
            int count = lines.intField("sequences");
            List<Sequence> sequences = new ArrayList<>();
            for (int s = 0; s < count; s++) {
                int tokens = lines.intField("seq");
                int[][] choices = new int[layers][];
                for (int l = 0; l < layers; l++) {
                    choices[l] = lines.ints(tokens * slots);
                }
                sequences.add(new Sequence(tokens, choices));
            }
            try {
                return new RoutingTrace(
                        model, version, source, hidden, experts, slots, layers, sequences);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": " + e.getMessage(), e);
            }
        }
    }

    /** Line reader that names the file and line in its errors. */
    private static final class Lines {
        private final BufferedReader reader;
        private final Path file;
        private int number;

        Lines(BufferedReader reader, Path file) {
            this.reader = reader;
            this.file = file;
        }

        String next() throws IOException {
            String line = reader.readLine();
            number++;
            if (line == null) {
                throw error("unexpected end of file");
            }
            return line;
        }

        String field(String name) throws IOException {
            String line = next();
            if (!line.startsWith(name + " ")) {
                throw error("expected '" + name + " ...'");
            }
            return line.substring(name.length() + 1);
        }

        int intField(String name) throws IOException {
            try {
                return Integer.parseInt(field(name).trim());
            } catch (NumberFormatException e) {
                throw error("'" + name + "' needs an integer");
            }
        }

        int[] ints(int expected) throws IOException {
            String[] parts = next().trim().split(" ");
            if (parts.length != expected) {
                throw error("expected " + expected + " expert ids, got " + parts.length);
            }
            int[] values = new int[expected];
            try {
                for (int i = 0; i < expected; i++) {
                    values[i] = Integer.parseInt(parts[i]);
                }
            } catch (NumberFormatException e) {
                throw error("expert ids must be integers");
            }
            return values;
        }

        IOException error(String message) {
            return new IOException(file + ":" + number + ": " + message);
        }
    }
}
