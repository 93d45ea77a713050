package io.moezoo.engine.gguf;

import io.moezoo.formats.Checkpoint;
import io.moezoo.formats.Half;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.formats.SafetensorsFile;
import io.moezoo.formats.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the rows of a Hugging Face key from a validated checkpoint's stored bytes (F32, F16, BF16,
 * F64; mapped, never loaded through an engine), whether the key is stored as such or inside another
 * layout of the same weights: Mixtral's {@code block_sparse_moe} or the {@code mlp} names of
 * transformers v5, {@code w1/w3/w2} or {@code gate_proj/up_proj/down_proj}, per-expert keys or the
 * fused {@code experts.gate_up_proj [E, 2I, H]} (gate rows first) and {@code experts.down_proj [E,
 * H, I]}, or GraniteMoE's (JetMoE's) fused {@code input_linear [E, 2I, H]} (gate rows first) and
 * {@code output_linear [E, H, I]}.
 */
final class CheckpointRows {

    private static final Pattern EXPERT =
            Pattern.compile(
                    "(model\\.layers\\.\\d+\\.)(block_sparse_moe|mlp)\\.experts\\.(\\d+)\\."
                            + "(w1|w2|w3|gate_proj|up_proj|down_proj)\\.weight");
    private static final Pattern ROUTER =
            Pattern.compile("(model\\.layers\\.\\d+\\.)(block_sparse_moe|mlp)\\.gate\\.weight");

    /** Rows {@code [first, first + rows)} of a stored tensor of {@code cols} columns. */
    record Slice(TensorInfo info, ByteBuffer bytes, long first, int rows, int cols) {}

    private final Checkpoint checkpoint;
    private final Map<Path, SafetensorsFile> files = new HashMap<>();

    CheckpointRows(Checkpoint checkpoint) {
        this.checkpoint = checkpoint;
    }

    /** Finds a key's rows, checking that it has the expected shape. */
    Slice resolve(String key, long[] shape) throws IOException, MalformedCheckpointException {
        long cols = shape[shape.length - 1];
        long rows = Arrays.stream(shape).reduce(1, (a, b) -> a * b) / Math.max(cols, 1);
        if (checkpoint.contains(key)) {
            TensorInfo info = checkpoint.info(key);
            if (!Arrays.equals(info.shape().getShape(), shape)) {
                throw new MalformedCheckpointException(
                        info.file()
                                + ": '"
                                + key
                                + "' has shape "
                                + info.shape()
                                + ", expected "
                                + Arrays.toString(shape));
            }
            return slice(info, 0, rows, cols);
        }
        Matcher router = ROUTER.matcher(key);
        if (router.matches()) {
            String other = router.group(2).equals("mlp") ? "block_sparse_moe" : "mlp";
            String alias = router.group(1) + other + ".gate.weight";
            if (checkpoint.contains(alias)) {
                return resolve(alias, shape);
            }
        }
        Matcher expert = EXPERT.matcher(key);
        if (expert.matches()) {
            String layer = expert.group(1);
            int e = Integer.parseInt(expert.group(3));
            String role = role(expert.group(4));
            for (String block : List.of("block_sparse_moe.", "mlp.")) {
                for (String name : names(role)) {
                    String alias = layer + block + "experts." + e + "." + name + ".weight";
                    if (!alias.equals(key) && checkpoint.contains(alias)) {
                        return resolve(alias, shape);
                    }
                }
                for (String name : fusedNames(role)) {
                    String fused = layer + block + name;
                    if (checkpoint.contains(fused)) {
                        return fused(fused, key, role, e, rows, cols);
                    }
                }
            }
        }
        throw new MalformedCheckpointException(
                checkpoint.location() + ": no tensor holds '" + key + "'");
    }

    /**
     * Expert {@code e}'s rows of a fused tensor: {@code [E, 2I, H]} with the gate rows first, or
     * {@code [E, H, I]} for down.
     */
    private Slice fused(String fused, String key, String role, int e, long rows, long cols)
            throws IOException, MalformedCheckpointException {
        TensorInfo info = checkpoint.info(fused);
        long[] s = info.shape().getShape();
        long per = role.equals("down") ? rows : 2 * rows;
        if (s.length != 3 || s[1] != per || s[2] != cols || e >= s[0]) {
            throw new MalformedCheckpointException(
                    info.file()
                            + ": '"
                            + fused
                            + "' has shape "
                            + info.shape()
                            + ", which does not hold "
                            + key);
        }
        long first = e * per + (role.equals("up") ? rows : 0);
        return slice(info, first, rows, cols);
    }

    /** The fused tensors (within a block) that hold a role: transformers v5's, then JetMoE's. */
    private static List<String> fusedNames(String role) {
        return role.equals("down")
                ? List.of("experts.down_proj", "output_linear.weight")
                : List.of("experts.gate_up_proj", "input_linear.weight");
    }

    private static String role(String name) {
        return switch (name) {
            case "w1", "gate_proj" -> "gate";
            case "w3", "up_proj" -> "up";
            default -> "down";
        };
    }

    private static List<String> names(String role) {
        List<String> names = new ArrayList<>();
        switch (role) {
            case "gate" -> names.addAll(List.of("w1", "gate_proj"));
            case "up" -> names.addAll(List.of("w3", "up_proj"));
            default -> names.addAll(List.of("w2", "down_proj"));
        }
        return names;
    }

    private Slice slice(TensorInfo info, long first, long rows, long cols)
            throws IOException, MalformedCheckpointException {
        switch (info.dtype()) {
            case F32, F16, BF16, F64 -> {}
            default ->
                    throw new MalformedCheckpointException(
                            info.file()
                                    + ": '"
                                    + info.name()
                                    + "' is "
                                    + info.dtype()
                                    + "; GGUF export reads F32, F16, BF16 and F64 tensors (FP8 checkpoints"
                                    + " are not exported)");
        }
        SafetensorsFile file = files.get(info.file());
        if (file == null) {
            file = SafetensorsFile.open(info.file());
            files.put(info.file(), file);
        }
        return new Slice(info, file.map(info), first, (int) rows, (int) cols);
    }

    /** Decodes row {@code r} of a slice into {@code out[0, cols)}. */
    static void row(Slice s, int r, float[] out) {
        int size = s.info().dtype().bytes();
        long at = (s.first() + r) * s.cols() * size;
        ByteBuffer b = s.bytes();
        for (int c = 0; c < s.cols(); c++) {
            int i = (int) (at + (long) c * size);
            out[c] =
                    switch (s.info().dtype()) {
                        case F32 -> b.getFloat(i);
                        case F16 -> Half.f16(b.getShort(i));
                        case BF16 -> Half.bf16(b.getShort(i));
                        default -> (float) b.getDouble(i);
                    };
        }
    }
}
