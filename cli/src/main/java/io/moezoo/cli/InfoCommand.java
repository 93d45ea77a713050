package io.moezoo.cli;

import ai.djl.repository.Artifact;
import ai.djl.repository.Metadata;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.moezoo.formats.TensorInfo;
import io.moezoo.hf.HfCheckpoint;
import io.moezoo.hf.HfCheckpointLoader;
import io.moezoo.zoo.MoeModelZoo;
import io.moezoo.zoo.ZooCatalog;
import io.moezoo.zoo.repository.MoeModelLoader;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code moe-zoo info MODEL}: what a zoo model or a Hugging Face checkpoint is, without loading its
 * weights: card, files and metrics for a zoo id; architecture and parameter count for a checkpoint
 * directory, after the same complete validation as {@code logits}.
 */
@Command(
        name = "info",
        mixinStandardHelpOptions = true,
        description = "Describe a zoo model (id) or a Hugging Face MoE checkpoint directory.")
final class InfoCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "Zoo model id or checkpoint dir.")
    String model;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Spec picocli.CommandLine.Model.CommandSpec spec;

    /** {@inheritDoc} */
    @Override
    public Integer call() throws Exception {
        JsonObject info;
        Path dir = Paths.get(model);
        if (Files.isDirectory(dir)) {
            info = checkpointInfo(dir);
        } else if (ZooCatalog.artifactIds().contains(model)) {
            info = zooInfo(model);
        } else {
            throw new IllegalArgumentException(
                    model
                            + " is neither a checkpoint directory nor a zoo model; zoo models: "
                            + ZooCatalog.artifactIds());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.println(new GsonBuilder().setPrettyPrinting().create().toJson(info));
        } else {
            print(out, info, "");
        }
        return 0;
    }

    private static JsonObject zooInfo(String id) throws Exception {
        MoeModelZoo zoo = new MoeModelZoo();
        MoeModelLoader loader = zoo.loader(id);
        Metadata metadata = loader.metadata();
        Artifact artifact =
                metadata.getArtifacts().stream()
                        .max(Comparator.comparing(Artifact::getParsedVersion))
                        .orElseThrow();
        JsonObject info = new JsonObject();
        info.addProperty("model", id);
        info.addProperty("name", metadata.getName());
        info.addProperty("description", metadata.getDescription());
        info.addProperty("application", metadata.getApplication().getPath());
        info.addProperty("version", artifact.getVersion());
        info.addProperty("repository", zoo.getRepository().toString());
        JsonObject files = new JsonObject();
        for (Map.Entry<String, Artifact.Item> e : artifact.getFiles().entrySet()) {
            files.addProperty(
                    e.getValue().getName(),
                    String.format(
                            Locale.ROOT,
                            "%,d bytes, sha1 %s",
                            e.getValue().getSize(),
                            e.getValue().getSha1Hash()));
        }
        info.add("files", files);
        info.add("card", JsonParser.parseString(loader.card()));
        return info;
    }

    /**
     * The same validation as {@code logits} ({@link HfCheckpointLoader#inspect}: config, files,
     * every tensor's shape and dtype), so that {@code info} refuses whatever {@code logits} would.
     */
    private static JsonObject checkpointInfo(Path dir) throws Exception {
        HfCheckpoint checkpoint = HfCheckpointLoader.inspect(dir);
        JsonObject info = new JsonObject();
        info.addProperty("checkpoint", dir.toString());
        for (Map.Entry<String, JsonElement> e :
                ArchitectureSummary.of(checkpoint.spec(), checkpoint.parameterCount()).entrySet()) {
            info.add(e.getKey(), e.getValue());
        }
        info.addProperty("tensors", checkpoint.checkpoint().keys().size());
        Map<String, Long> stored = new TreeMap<>();
        for (String key : checkpoint.checkpoint().keys()) {
            TensorInfo tensor = checkpoint.checkpoint().info(key);
            stored.merge(tensor.dtype().name(), tensor.length(), Long::sum);
        }
        StringBuilder bytes = new StringBuilder();
        for (Map.Entry<String, Long> e : stored.entrySet()) {
            bytes.append(bytes.length() == 0 ? "" : ", ")
                    .append(e.getKey())
                    .append(String.format(Locale.ROOT, " %,d bytes", e.getValue()));
        }
        info.addProperty("stored", bytes.toString());
        return info;
    }

    /**
     * Prints an object as aligned {@code label value} lines, nested objects indented under their
     * label; integers get thousands separators.
     */
    private static void print(PrintWriter out, JsonObject o, String indent) {
        int width = 0;
        for (String key : o.keySet()) {
            width = Math.max(width, key.length());
        }
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            String label = e.getKey().replace('_', ' ');
            JsonElement v = e.getValue();
            if (v.isJsonObject()) {
                out.println(indent + label + ":");
                print(out, v.getAsJsonObject(), indent + "  ");
            } else {
                out.println(indent + pad(label, width + 2) + text(v));
            }
        }
    }

    private static String text(JsonElement v) {
        if (!v.isJsonPrimitive()) {
            return v.toString();
        }
        JsonPrimitive p = v.getAsJsonPrimitive();
        if (p.isNumber()) {
            BigDecimal number = p.getAsBigDecimal();
            if (number.signum() == 0 || number.stripTrailingZeros().scale() <= 0) {
                return String.format(Locale.ROOT, "%,d", number.toBigInteger());
            }
        }
        return p.getAsString();
    }

    private static String pad(String label, int width) {
        return label + " ".repeat(Math.max(1, width - label.length()));
    }
}
