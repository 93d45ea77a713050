package io.moezoo.cli;

import ai.djl.repository.Artifact;
import ai.djl.repository.Metadata;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.moezoo.blocks.spec.MoeLayerSpec;
import io.moezoo.hf.HfCheckpoint;
import io.moezoo.hf.HfCheckpointLoader;
import io.moezoo.models.language.DecoderSpec;
import io.moezoo.zoo.MoeModelZoo;
import io.moezoo.zoo.ZooCatalog;
import io.moezoo.zoo.repository.MoeModelLoader;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
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
        DecoderSpec decoder = checkpoint.spec();
        JsonObject info = new JsonObject();
        info.addProperty("checkpoint", dir.toString());
        info.addProperty("model_type", decoder.modelType());
        info.addProperty("layers", decoder.numLayers());
        info.addProperty("hidden_size", decoder.hiddenSize());
        info.addProperty("vocab_size", decoder.vocabSize());
        info.addProperty("max_position_embeddings", decoder.maxPositionEmbeddings());
        info.addProperty("attention", decoder.attention().getClass().getSimpleName());
        info.addProperty("parameters", checkpoint.parameterCount());
        info.addProperty("tensors", checkpoint.checkpoint().keys().size());
        java.util.Map<String, Long> stored = new java.util.TreeMap<>();
        for (String key : checkpoint.checkpoint().keys()) {
            io.moezoo.formats.TensorInfo tensor = checkpoint.checkpoint().info(key);
            stored.merge(tensor.dtype().name(), tensor.length(), Long::sum);
        }
        StringBuilder bytes = new StringBuilder();
        for (Map.Entry<String, Long> e : stored.entrySet()) {
            bytes.append(bytes.length() == 0 ? "" : ", ")
                    .append(e.getKey())
                    .append(' ')
                    .append(e.getValue())
                    .append(" bytes");
        }
        info.addProperty("stored", bytes.toString());
        StringBuilder layers = new StringBuilder();
        for (MoeLayerSpec layer : decoder.ffn()) {
            layers.append(layers.length() == 0 ? "" : ", ")
                    .append(
                            layer == null
                                    ? "dense"
                                    : layer.router().getType()
                                            + " "
                                            + layer.experts().getNumExperts()
                                            + "x top-"
                                            + layer.router().getTopK()
                                            + (layer.sharedExpert() == null ? "" : " +shared"));
        }
        info.addProperty("ffn", layers.toString());
        return info;
    }

    private static void print(PrintWriter out, JsonObject o, String indent) {
        for (Map.Entry<String, JsonElement> e : o.entrySet()) {
            JsonElement v = e.getValue();
            if (v.isJsonObject()) {
                out.println(indent + e.getKey() + ":");
                print(out, v.getAsJsonObject(), indent + "  ");
            } else {
                out.println(
                        indent
                                + e.getKey()
                                + ": "
                                + (v.isJsonPrimitive() ? v.getAsString() : v.toString()));
            }
        }
    }
}
