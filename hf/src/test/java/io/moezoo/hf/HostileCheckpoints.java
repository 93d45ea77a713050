package io.moezoo.hf;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Builds the hostile checkpoints of {@code src/test/resources/hostile/cases.json}: each case copies
 * a parity fixture and applies a few operations to its files (text and byte edits of {@code
 * config.json}, the index or a safetensors header, FIFOs, links to {@code /dev/zero}, directories
 * in place of files), and names the fragments its refusal must contain. The CLI module's test runs
 * the same catalog through the command line (it takes this class from the zoo module's test jar).
 */
public final class HostileCheckpoints {

    /** The catalog, relative to the zoo module. */
    public static final Path CATALOG =
            Paths.get("src", "test", "resources", "hostile", "cases.json");

    /** The parity fixtures the cases start from, relative to the zoo module. */
    public static final Path FIXTURES = Paths.get("src", "test", "resources", "fixtures");

    /**
     * One hostile case.
     *
     * @param name the case (and directory) name
     * @param base the fixture it starts from
     * @param api the lowest API that must refuse it: config, safetensors, checkpoint or shapes
     * @param ops the edits
     * @param expect fragments of the error message (case-insensitive)
     */
    public record Case(
            String name, String base, String api, List<JsonObject> ops, List<String> expect) {
        @Override
        public String toString() {
            return name;
        }
    }

    private HostileCheckpoints() {}

    /** Reads the catalog relative to a module directory ("" for hf, "../hf" for cli). */
    public static List<Case> load(Path zooModule) throws IOException {
        List<Case> cases = new ArrayList<>();
        for (JsonElement e :
                JsonParser.parseString(Files.readString(zooModule.resolve(CATALOG)))
                        .getAsJsonArray()) {
            JsonObject o = e.getAsJsonObject();
            List<JsonObject> ops = new ArrayList<>();
            o.getAsJsonArray("ops").forEach(op -> ops.add(op.getAsJsonObject()));
            List<String> expect = new ArrayList<>();
            o.getAsJsonArray("expect").forEach(x -> expect.add(x.getAsString()));
            cases.add(
                    new Case(
                            o.get("name").getAsString(),
                            o.get("base").getAsString(),
                            o.get("api").getAsString(),
                            ops,
                            expect));
        }
        return cases;
    }

    /** Builds a case's directory afresh under {@code out} and returns it. */
    public static Path build(Case c, Path zooModule, Path out)
            throws IOException, InterruptedException {
        Path dir = out.resolve(c.name());
        delete(dir);
        Files.createDirectories(dir);
        try (Stream<Path> files = Files.list(zooModule.resolve(FIXTURES).resolve(c.base()))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (!f.getFileName().toString().equals("expected.json")) {
                    Files.copy(f, dir.resolve(f.getFileName()));
                }
            }
        }
        for (JsonObject op : c.ops()) {
            apply(dir, op);
        }
        return dir;
    }

    private static void apply(Path dir, JsonObject op) throws IOException, InterruptedException {
        Path file = dir.resolve(op.get("file").getAsString());
        String kind = op.get("op").getAsString();
        switch (kind) {
            case "replace" -> writeText(file, replaceOnce(readText(file), op));
            case "regex" -> {
                Matcher m = Pattern.compile(str(op, "from")).matcher(readText(file));
                if (!m.find()) {
                    throw new IllegalStateException("no match for " + op);
                }
                writeText(file, m.replaceFirst(Matcher.quoteReplacement(str(op, "to"))));
            }
            case "write" -> writeText(file, str(op, "text"));
            case "appendText" -> writeText(file, readText(file) + str(op, "text"));
            case "pad" -> writeText(file, " ".repeat(op.get("count").getAsInt()) + readText(file));
            case "repeat" ->
                    writeText(
                            file,
                            str(op, "prefix")
                                    + str(op, "unit").repeat(op.get("count").getAsInt())
                                    + str(op, "suffix"));
            case "inject" -> Files.write(file, inject(Files.readAllBytes(file), op));
            case "encode" ->
                    Files.write(file, readText(file).getBytes(Charset.forName(str(op, "charset"))));
            case "delete" -> Files.delete(file);
            case "mkdir" -> Files.createDirectory(file);
            case "symlink" -> Files.createSymbolicLink(file, Paths.get(str(op, "target")));
            case "fifo" -> {
                Process p = new ProcessBuilder("mkfifo", file.toString()).inheritIO().start();
                if (p.waitFor() != 0) {
                    throw new IOException("mkfifo failed for " + file);
                }
            }
            case "append" -> {
                byte[] bytes = Files.readAllBytes(file);
                Files.write(file, Arrays.copyOf(bytes, bytes.length + op.get("count").getAsInt()));
            }
            case "truncate" -> {
                byte[] bytes = Files.readAllBytes(file);
                Files.write(file, Arrays.copyOf(bytes, bytes.length - op.get("count").getAsInt()));
            }
            case "length" -> {
                byte[] bytes = Files.readAllBytes(file);
                ByteBuffer.wrap(bytes)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .putLong(0, Long.parseLong(str(op, "value")));
                Files.write(file, bytes);
            }
            case "header", "headerText", "headerInject" -> editHeader(file, kind, op);
            default -> throw new IllegalArgumentException("unknown op " + op);
        }
    }

    /** Rewrites a safetensors header (bytes as ISO-8859-1 text) and its length; data unchanged. */
    private static void editHeader(Path file, String kind, JsonObject op) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        int n = (int) ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        byte[] header = Arrays.copyOfRange(bytes, 8, 8 + n);
        byte[] data = Arrays.copyOfRange(bytes, 8 + n, bytes.length);
        byte[] edited =
                switch (kind) {
                    case "header" ->
                            replaceOnce(new String(header, StandardCharsets.ISO_8859_1), op)
                                    .getBytes(StandardCharsets.ISO_8859_1);
                    case "headerText" -> str(op, "text").getBytes(StandardCharsets.UTF_8);
                    default -> inject(header, op);
                };
        ByteBuffer out = ByteBuffer.allocate(8 + edited.length + data.length);
        out.order(ByteOrder.LITTLE_ENDIAN).putLong(edited.length).put(edited).put(data);
        Files.write(file, out.array());
    }

    private static byte[] inject(byte[] bytes, JsonObject op) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        String after = str(op, "after");
        int at = text.indexOf(after);
        if (at < 0) {
            throw new IllegalStateException("no anchor for " + op);
        }
        at += after.length();
        byte[] insert = HexFormat.of().parseHex(str(op, "hex"));
        byte[] out = new byte[bytes.length + insert.length];
        System.arraycopy(bytes, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(bytes, at, out, at + insert.length, bytes.length - at);
        return out;
    }

    private static String replaceOnce(String text, JsonObject op) {
        String from = str(op, "from");
        int at = text.indexOf(from);
        if (at < 0 || text.indexOf(from, at + 1) >= 0) {
            throw new IllegalStateException("'from' must occur exactly once: " + op);
        }
        return text.substring(0, at) + str(op, "to") + text.substring(at + from.length());
    }

    private static String str(JsonObject op, String field) {
        return op.get(field).getAsString();
    }

    private static String readText(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    private static void writeText(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** Deletes a directory tree without following links (a case may hold FIFOs and links). */
    public static void delete(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
