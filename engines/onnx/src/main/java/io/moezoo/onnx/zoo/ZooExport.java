package io.moezoo.onnx.zoo;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import com.google.gson.Gson;
import io.moezoo.models.language.MoeCausalLm;
import io.moezoo.models.reward.ArmoRewardModel;
import io.moezoo.models.reward.DoubleLayerMoeRewardModel;
import io.moezoo.models.reward.LmArmoRewardModel;
import io.moezoo.models.reward.LmDoubleLayerRewardModel;
import io.moezoo.models.timeseries.TimeMoeForecaster;
import io.moezoo.models.vision.VisionMoeTransformer;
import io.moezoo.onnx.OnnxGraphException;
import io.moezoo.onnx.UnsupportedExportException;
import io.moezoo.onnx.graph.OnnxModel;
import io.moezoo.onnx.models.LanguageExporter;
import io.moezoo.onnx.models.RewardExporter;
import io.moezoo.onnx.models.TimeSeriesExporter;
import io.moezoo.onnx.models.VisionExporter;
import io.moezoo.onnx.moe.DispatchMode;
import io.moezoo.zoo.engine.PreparedArtifact;
import io.moezoo.zoo.repository.ArtifactCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Exports zoo models to ONNX: a block by its family, or a whole artifact (loaded by id through the
 * zoo on the PyTorch engine) into a directory that {@link OnnxCriteria} loads with ONNX Runtime.
 *
 * <p>An exported directory holds {@value #MODEL_FILE}, the artifact's files other than its weights
 * (tokenizer, {@code model.json}, card) and {@value #ARGUMENTS_FILE}, the artifact's translator
 * arguments as strings. No class name is written or read: the translator comes from the zoo's
 * catalog in code.
 */
public final class ZooExport {

    /** The model file name in an exported directory. */
    public static final String MODEL_FILE = "model.onnx";

    /** The translator arguments file in an exported directory. */
    public static final String ARGUMENTS_FILE = "onnx-arguments.json";

    private ZooExport() {}

    /**
     * Exports a zoo model block by its family.
     *
     * @param block a vision, time-series, language or reward block
     * @param dispatch how MoE layers run their experts (a reward model's language model included)
     * @return the ONNX model
     * @throws UnsupportedExportException for other blocks
     */
    public static OnnxModel exportBlock(Block block, DispatchMode dispatch) {
        if (block instanceof VisionMoeTransformer v) {
            return VisionExporter.export(v, dispatch);
        } else if (block instanceof TimeMoeForecaster t) {
            return TimeSeriesExporter.export(t, dispatch);
        } else if (block instanceof MoeCausalLm lm) {
            return LanguageExporter.export(lm, dispatch);
        } else if (block instanceof DoubleLayerMoeRewardModel
                || block instanceof ArmoRewardModel
                || block instanceof LmDoubleLayerRewardModel
                || block instanceof LmArmoRewardModel) {
            return RewardExporter.export(block, dispatch);
        }
        throw new UnsupportedExportException(
                "model " + block.getClass().getSimpleName(),
                "only the vision, time-series, language and DMoERM/ArmoRM reward models (byte-level"
                        + " or over a language model) are exported");
    }

    /**
     * Loads a zoo artifact by id (PyTorch) and writes its ONNX directory.
     *
     * @param artifactId the artifact, e.g. {@code "vit-moe-fashion-mnist"}
     * @param out the directory to write (created; existing files of the same names replaced)
     * @param dispatch how MoE layers run their experts
     * @return the model file
     * @throws IOException if the artifact cannot be read or the directory written
     * @throws ModelNotFoundException if the zoo has no such artifact
     * @throws MalformedModelException if the artifact is malformed
     */
    public static Path exportArtifact(String artifactId, Path out, DispatchMode dispatch)
            throws IOException, ModelNotFoundException, MalformedModelException {
        Criteria<NDList, NDList> criteria =
                Criteria.builder()
                        .setTypes(NDList.class, NDList.class)
                        .optTranslator(new ai.djl.translate.NoopTranslator())
                        .optGroupId("io.moezoo")
                        .optArtifactId(artifactId)
                        .optEngine("PyTorch")
                        .build();
        try (ZooModel<NDList, NDList> model = criteria.loadModel()) {
            Files.createDirectories(out);
            Path file = out.resolve(MODEL_FILE);
            exportBlock(model.getBlock(), dispatch).write(file);
            copyFiles(model.getModelPath(), out);
            Map<String, String> arguments = new TreeMap<>(model.getProperties());
            Files.writeString(
                    out.resolve(ARGUMENTS_FILE),
                    new Gson().toJson(arguments),
                    StandardCharsets.UTF_8);
            return file;
        }
    }

    /**
     * Exports a local zoo artifact directory: the artifact root (holding {@code metadata.json} and
     * one version directory) or a version directory whose parent holds {@code metadata.json}. The
     * artifact id in the metadata must be one of the zoo's catalog, whose code (block and
     * translator factories) is used; metadata naming other classes is refused.
     *
     * @param dir the artifact directory
     * @param out the directory to write
     * @param dispatch how MoE layers run their experts
     * @return the model file
     * @throws IOException if the directory is not a zoo artifact or cannot be read or written
     */
    public static Path exportDirectory(Path dir, Path out, DispatchMode dispatch)
            throws IOException {
        Path root = Files.isRegularFile(dir.resolve("metadata.json")) ? dir : dir.getParent();
        Path metadata = root == null ? null : root.resolve("metadata.json");
        if (metadata == null || !Files.isRegularFile(metadata)) {
            throw new IOException(
                    dir
                            + " is not a zoo artifact directory (no metadata.json in it or its parent)");
        }
        com.google.gson.JsonObject json =
                com.google.gson.JsonParser.parseString(
                                Files.readString(metadata, StandardCharsets.UTF_8))
                        .getAsJsonObject();
        String artifactId = json.get("artifactId").getAsString();
        io.moezoo.zoo.ZooCatalog.Entry entry =
                io.moezoo.zoo.ZooCatalog.entries().stream()
                        .filter(e -> e.artifactId().equals(artifactId))
                        .findFirst()
                        .orElseThrow(
                                () ->
                                        new IOException(
                                                metadata
                                                        + ": artifact '"
                                                        + artifactId
                                                        + "' is not a model of the zoo's catalog"));
        com.google.gson.JsonObject artifact =
                json.getAsJsonArray("artifacts").get(0).getAsJsonObject();
        Path version = root.equals(dir) ? root.resolve(artifact.get("version").getAsString()) : dir;
        Map<String, Object> arguments = new TreeMap<>();
        for (Map.Entry<String, com.google.gson.JsonElement> a :
                artifact.getAsJsonObject("arguments").entrySet()) {
            arguments.put(a.getKey(), a.getValue().getAsString());
        }
        if (!entry.code().isNamedBy(arguments)) {
            throw new IOException(
                    metadata + ": its factories are not the code the zoo runs for " + artifactId);
        }
        arguments.remove(io.moezoo.zoo.repository.ArtifactCode.BLOCK_FACTORY);
        arguments.remove(io.moezoo.zoo.repository.ArtifactCode.TRANSLATOR_FACTORY);
        return export(artifactId, entry.code(), version, arguments, out, dispatch);
    }

    /**
     * Exports a zoo artifact the zoo has selected and verified ({@link PreparedArtifact}, as the
     * zoo hands it to {@link OnnxZooEngineProvider}): its block is built on PyTorch by the code the
     * zoo registered for it, from its directory.
     *
     * @param artifact the prepared artifact
     * @param out the directory to write
     * @param dispatch how MoE layers run their experts
     * @return the model file
     * @throws IOException if the artifact cannot be read or the directory written
     */
    public static Path exportPrepared(PreparedArtifact artifact, Path out, DispatchMode dispatch)
            throws IOException {
        return export(
                artifact.artifactId(),
                artifact.code(),
                artifact.directory(),
                artifact.arguments(),
                out,
                dispatch);
    }

    private static Path export(
            String artifactId,
            ArtifactCode code,
            Path version,
            Map<String, ?> arguments,
            Path out,
            DispatchMode dispatch)
            throws IOException {
        try (ai.djl.Model model = ai.djl.Model.newInstance(artifactId, "PyTorch")) {
            Block block = code.newBlockFactory().newBlock(model, version, arguments);
            Files.createDirectories(out);
            Path file = out.resolve(MODEL_FILE);
            exportBlock(block, dispatch).write(file);
            copyFiles(version, out);
            Map<String, String> strings = new TreeMap<>();
            arguments.forEach((k, v) -> strings.put(k, String.valueOf(v)));
            Files.writeString(
                    out.resolve(ARGUMENTS_FILE),
                    new Gson().toJson(strings),
                    StandardCharsets.UTF_8);
            return file;
        }
    }

    private static void copyFiles(Path from, Path to) throws IOException {
        if (from == null || !Files.isDirectory(from)) {
            throw new OnnxGraphException("The artifact has no local directory to copy: " + from);
        }
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                boolean weights =
                        name.endsWith(".safetensors")
                                || name.endsWith(".params")
                                || name.endsWith(".onnx");
                if (Files.isRegularFile(f) && !weights && !name.equals(ARGUMENTS_FILE)) {
                    Files.copy(
                            f, to.resolve(name), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
