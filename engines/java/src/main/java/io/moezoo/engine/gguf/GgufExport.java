package io.moezoo.engine.gguf;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.moezoo.formats.CheckpointFiles;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.formats.StrictJson;
import io.moezoo.hf.HfCheckpoint;
import io.moezoo.hf.HfCheckpointLoader;
import io.moezoo.models.language.DecoderSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exports a Hugging Face MoE checkpoint directory (Mixtral, Qwen2-MoE, OLMoE, DeepSeek-V2/V3,
 * GraniteMoE, and GLM-4.5 and gpt-oss for llama.cpp versions that know {@code glm4moe} and {@code
 * gpt-oss}) to a GGUF file llama.cpp (b4916) can load. gpt-oss's MXFP4 experts are repacked into
 * GGUF MXFP4 blocks whatever the type ({@link GptOssExpertRows}). The directory is validated first
 * exactly as {@code info} and {@code logits} validate it ({@link HfCheckpointLoader#inspect});
 * weights are then read from the stored safetensors bytes row by row, encoded and streamed to the
 * file, so memory stays bounded. Norms, routers, biases and 1-D tensors stay F32, as do weights
 * whose rows are not a whole number of 32-value blocks when the type is Q8_0 or Q4_0 (llama.cpp's
 * converter would use F16 there; F32 keeps them exact). Metadata: {@code general.*}, the
 * architecture's keys ({@link GgufArchitectures}) and the tokenizer ({@link GgufTokenizer}).
 */
public final class GgufExport {

    /**
     * What an export wrote.
     *
     * @param architecture llama.cpp's architecture name
     * @param tensors the number of tensors
     * @param bytes the file size
     */
    public record Summary(String architecture, int tensors, long bytes) {}

    private GgufExport() {}

    /**
     * Exports a checkpoint directory.
     *
     * @param checkpointDir the Hugging Face checkpoint directory
     * @param outFile the .gguf file to create or replace (atomically)
     * @param type the type of the weight matrices
     * @return what was written
     * @throws IOException if a file cannot be read or written
     * @throws MalformedCheckpointException if the checkpoint is invalid or cannot be represented in
     *     GGUF for llama.cpp
     */
    public static Summary export(Path checkpointDir, Path outFile, GgufType type)
            throws IOException, MalformedCheckpointException {
        HfCheckpoint hf = HfCheckpointLoader.inspectStored(checkpointDir);
        DecoderSpec spec = hf.spec();
        Path configFile = checkpointDir.resolve(HfCheckpointLoader.CONFIG_FILE);
        JsonObject config =
                StrictJson.parse(
                                CheckpointFiles.readUtf8(
                                        configFile, CheckpointFiles.MAX_CONFIG_BYTES),
                                configFile.toString())
                        .getAsJsonObject();
        String origin = checkpointDir.toString();
        GgufArchitecture arch = GgufArchitectures.byModelType(spec.modelType(), origin);
        JsonElement quantization = config.get("quantization_config");
        if (quantization != null && !quantization.isJsonNull() && !mxfp4(quantization, arch)) {
            throw new MalformedCheckpointException(
                    configFile + ": quantized (FP8) checkpoints are not exported to GGUF");
        }
        for (String key : hf.checkpoint().keys()) {
            if (hf.checkpoint().blockFormat(key) != null) {
                throw new MalformedCheckpointException(
                        checkpointDir
                                + ": tensor '"
                                + key
                                + "' is block-quantized (a moe-zoo quantize checkpoint); export the"
                                + " float checkpoint it came from, with --type q8_0 or q4_0");
            }
        }
        Map<String, GgufValue> metadata = new LinkedHashMap<>();
        metadata.put("general.architecture", GgufValue.string(arch.name()));
        Path name = checkpointDir.toAbsolutePath().normalize().getFileName();
        metadata.put("general.name", GgufValue.string(name == null ? "model" : name.toString()));
        metadata.put("general.file_type", GgufValue.u32(type.fileType()));
        metadata.put("general.quantization_version", GgufValue.u32(2));
        arch.export(spec, config, metadata, origin);
        if (spec.tieWordEmbeddings() && arch.outputRequired()) {
            metadata.put("moezoo.tie_word_embeddings", GgufValue.bool(true));
        }
        GgufTokenizer.metadata(checkpointDir, config, spec.vocabSize(), metadata);

        GgufWriter writer = new GgufWriter();
        metadata.forEach(writer::put);
        CheckpointRows rows = new CheckpointRows(hf.checkpoint());
        GptOssExpertRows experts = new GptOssExpertRows(hf.checkpoint(), rows);
        boolean gptOss = arch instanceof GptOssArchitecture;
        GgufTensorPlan plan = GgufTensorPlan.of(spec, arch);
        for (GgufTensorPlan.Entry e : plan.entries()) {
            String split = e.keys().get(0);
            if (gptOss && GptOssExpertRows.handles(split)) {
                GgufType t = experts.type(split, e.keyShape(), type);
                writer.addTensor(
                        e.gguf(), t, e.shape(), out -> experts.write(split, e.keyShape(), t, out));
                continue;
            }
            long cols = e.keyShape()[e.keyShape().length - 1];
            GgufType t = e.keepF32() || cols % type.blockSize() != 0 ? GgufType.F32 : type;
            List<CheckpointRows.Slice> slices = new java.util.ArrayList<>();
            for (String key : e.keys()) {
                slices.add(rows.resolve(key, e.keyShape()));
            }
            writer.addTensor(e.gguf(), t, e.shape(), out -> write(e, slices, t, out));
        }
        Path parent = outFile.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        writer.write(outFile);
        return new Summary(arch.name(), plan.entries().size(), Files.size(outFile));
    }

    /** Whether a quantization_config is gpt-oss's MXFP4 experts, which are repacked as such. */
    private static boolean mxfp4(JsonElement quantization, GgufArchitecture arch) {
        if (!(arch instanceof GptOssArchitecture) || !quantization.isJsonObject()) {
            return false;
        }
        JsonElement method = quantization.getAsJsonObject().get("quant_method");
        return method != null && method.isJsonPrimitive() && "mxfp4".equals(method.getAsString());
    }

    /** Streams one GGUF tensor: each key's rows in order, permuted rows in llama.cpp order. */
    private static void write(
            GgufTensorPlan.Entry e,
            List<CheckpointRows.Slice> slices,
            GgufType type,
            GgufWriter.TensorOutput out)
            throws IOException {
        for (CheckpointRows.Slice s : slices) {
            int heads = e.permuteHeads();
            boolean vector = e.keyShape().length == 1;
            float[] values = new float[s.cols()];
            if (vector && heads > 0) {
                // A permuted bias: each element is one output row.
                CheckpointRows.row(s, 0, values);
                float[] permuted = new float[values.length];
                int headDim = values.length / heads;
                for (int r = 0; r < values.length; r++) {
                    permuted[r] = values[GgufTensorPlan.hfRow(r, headDim)];
                }
                emit(permuted, type, out);
                continue;
            }
            int headDim = heads > 0 ? s.rows() / heads : 0;
            for (int r = 0; r < s.rows(); r++) {
                CheckpointRows.row(s, heads > 0 ? GgufTensorPlan.hfRow(r, headDim) : r, values);
                emit(values, type, out);
            }
        }
    }

    /** Encodes one row of values and writes it. */
    static void emit(float[] values, GgufType type, GgufWriter.TensorOutput out)
            throws IOException {
        ByteBuffer bytes =
                ByteBuffer.allocate((int) type.bytes(values.length)).order(ByteOrder.LITTLE_ENDIAN);
        GgufCodec.encode(values, 0, values.length, type, bytes);
        out.write(bytes.flip());
    }
}
