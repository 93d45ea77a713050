package io.moezoo.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.moezoo.formats.BlockFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Writes a Hugging Face checkpoint of a {@link BenchShape} with random weights: {@code
 * config.json}, safetensors shards of at most {@code shardBytes} (with {@code
 * model.safetensors.index.json} when there are several), weights in the chosen format.
 *
 * <p>Weight matrices are uniform in \(\pm\sqrt{3 / \text{cols}}\) (unit-variance outputs for
 * unit-variance inputs), norms are ones, biases small. In {@code q8_0} and {@code q4_0} every
 * matrix is block-quantised as MoE Zoo's {@code quantize} command stores it (dtype U8, the last
 * dimension in bytes, {@code moezoo.format.<key>} in the metadata); routers, norms and biases stay
 * float32, as llama.cpp keeps them. Values are streamed row block by row block, so memory stays
 * small whatever the checkpoint's size; the directory appears only when complete.
 *
 * <p>Usage: {@code CheckpointGenerator SHAPE FORMAT OUT_DIR [SHARD_GB] [SEED]} with FORMAT one of
 * f32, f16, bf16, q8_0, q4_0.
 */
public final class CheckpointGenerator {

    private static final int ALIGN = 8;

    private final BenchShape shape;
    private final String format;
    private final long shardBytes;
    private final long seed;

    /**
     * Creates a generator.
     *
     * @param shape the architecture
     * @param format f32, f16, bf16, q8_0 or q4_0
     * @param shardBytes the most bytes per shard
     * @param seed the random seed
     */
    public CheckpointGenerator(BenchShape shape, String format, long shardBytes, long seed) {
        if (!List.of("f32", "f16", "bf16", "q8_0", "q4_0", "mxfp4").contains(format)) {
            throw new IllegalArgumentException(
                    "format must be f32, f16, bf16, q8_0, q4_0 or mxfp4");
        }
        boolean packed = shape.tensors().stream().anyMatch(CheckpointGenerator::isMxfp4);
        if (packed != format.equals("mxfp4")) {
            throw new IllegalArgumentException(
                    "shape "
                            + shape.name()
                            + " is generated in "
                            + (packed ? "mxfp4" : "f32, f16, bf16, q8_0 or q4_0")
                            + " only");
        }
        this.shape = shape;
        this.format = format;
        this.shardBytes = shardBytes;
        this.seed = seed;
    }

    /**
     * Runs the generator.
     *
     * @param args SHAPE FORMAT OUT_DIR [SHARD_GB] [SEED]
     * @throws IOException if writing fails
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: CheckpointGenerator SHAPE FORMAT OUT_DIR [SHARD_GB] [SEED]");
            System.exit(2);
        }
        long shard = (long) (Double.parseDouble(args.length > 3 ? args[3] : "5") * (1L << 30));
        long seed = args.length > 4 ? Long.parseLong(args[4]) : 42;
        Path out = Paths.get(args[2]);
        long start = System.nanoTime();
        new CheckpointGenerator(BenchShape.named(args[0]), args[1], shard, seed).write(out);
        System.out.printf(
                "wrote %s (%s, %s) in %.1f s%n",
                out, args[0], args[1], (System.nanoTime() - start) / 1e9);
    }

    /** Where a tensor's bytes go: its dtype, stored shape and size. */
    private record Stored(BenchShape.Tensor tensor, String dtype, long[] shape, long bytes) {}

    private static boolean isMxfp4(BenchShape.Tensor t) {
        return t.kind() == BenchShape.Kind.MXFP4_BLOCKS || t.kind() == BenchShape.Kind.MXFP4_SCALES;
    }

    private Stored stored(BenchShape.Tensor t) {
        if (isMxfp4(t)) {
            return new Stored(t, "U8", t.shape(), t.elements());
        }
        boolean matrix = t.kind() == BenchShape.Kind.MATRIX;
        long cols = t.shape()[t.shape().length - 1];
        if (format.startsWith("q")) {
            if (matrix && cols % BlockFormat.BLOCK == 0) {
                BlockFormat f = BlockFormat.parse(format);
                long[] s = t.shape().clone();
                s[s.length - 1] = f.rowBytes(cols);
                return new Stored(t, "U8", s, t.elements() / cols * f.rowBytes(cols));
            }
            return new Stored(t, "F32", t.shape(), 4 * t.elements());
        }
        // mxfp4: only the experts are MXFP4; the hub stores everything else in BF16.
        String dtype = format.equals("f32") ? "F32" : format.equals("f16") ? "F16" : "BF16";
        return new Stored(t, dtype, t.shape(), (dtype.equals("F32") ? 4 : 2) * t.elements());
    }

    /**
     * Writes the checkpoint directory.
     *
     * @param out the directory to create (must not exist)
     * @throws IOException if writing fails
     */
    public void write(Path out) throws IOException {
        if (Files.exists(out)) {
            throw new IOException(out + " exists");
        }
        Path tmp = out.resolveSibling(out.getFileName() + ".partial");
        deleteTree(tmp);
        Files.createDirectories(tmp);
        List<List<Stored>> shards = new ArrayList<>();
        List<Stored> current = new ArrayList<>();
        long size = 0;
        for (BenchShape.Tensor t : shape.tensors()) {
            Stored s = stored(t);
            if (!current.isEmpty() && size + s.bytes() > shardBytes) {
                shards.add(current);
                current = new ArrayList<>();
                size = 0;
            }
            current.add(s);
            size += s.bytes();
        }
        shards.add(current);
        JsonObject weightMap = new JsonObject();
        for (int i = 0; i < shards.size(); i++) {
            String name =
                    shards.size() == 1
                            ? "model.safetensors"
                            : String.format("model-%05d-of-%05d.safetensors", i + 1, shards.size());
            writeShard(tmp.resolve(name), shards.get(i));
            for (Stored s : shards.get(i)) {
                weightMap.addProperty(s.tensor().key(), name);
            }
        }
        if (shards.size() > 1) {
            JsonObject index = new JsonObject();
            index.add("metadata", new JsonObject());
            index.add("weight_map", weightMap);
            Files.writeString(tmp.resolve("model.safetensors.index.json"), index.toString());
        }
        Files.writeString(
                tmp.resolve("config.json"),
                new GsonBuilder().setPrettyPrinting().create().toJson(shape.config()));
        Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE);
    }

    private void writeShard(Path file, List<Stored> tensors) throws IOException {
        JsonObject header = new JsonObject();
        JsonObject metadata = new JsonObject();
        metadata.addProperty("format", "pt");
        if (format.startsWith("q")) {
            metadata.addProperty("moezoo.quantization", format);
        }
        long offset = 0;
        for (Stored s : tensors) {
            JsonObject entry = new JsonObject();
            entry.addProperty("dtype", s.dtype());
            JsonArray dims = new JsonArray();
            for (long d : s.shape()) {
                dims.add(d);
            }
            entry.add("shape", dims);
            JsonArray range = new JsonArray();
            range.add(offset);
            range.add(offset + s.bytes());
            entry.add("data_offsets", range);
            header.add(s.tensor().key(), entry);
            if (s.dtype().equals("U8") && !isMxfp4(s.tensor())) {
                metadata.addProperty(
                        "moezoo.format." + s.tensor().key(),
                        format.toUpperCase(java.util.Locale.ROOT));
            }
            offset += s.bytes();
        }
        header.add("__metadata__", metadata);
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + ALIGN - 1) / ALIGN * ALIGN;
        ByteBuffer head = ByteBuffer.allocate(8 + padded).order(ByteOrder.LITTLE_ENDIAN);
        head.putLong(padded).put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        head.flip();
        try (FileChannel channel =
                FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            channel.write(head);
            for (Stored s : tensors) {
                writeTensor(channel, s);
            }
        }
    }

    private void writeTensor(FileChannel channel, Stored s) throws IOException {
        BenchShape.Tensor t = s.tensor();
        long[] dims = t.shape();
        int cols = (int) dims[dims.length - 1];
        long rows = t.elements() / cols;
        SplittableRandom random =
                new SplittableRandom(seed ^ (t.key().hashCode() * 0x9E3779B97F4A7C15L));
        float bound = (float) Math.sqrt(3.0 / cols);
        long rowBytes = s.bytes() / rows;
        int rowsPerBlock = (int) Math.max(1, (8 << 20) / rowBytes);
        ByteBuffer buffer =
                ByteBuffer.allocateDirect((int) (rowsPerBlock * rowBytes))
                        .order(ByteOrder.LITTLE_ENDIAN);
        float[] row = new float[cols];
        BlockFormat block =
                s.dtype().equals("U8") && !isMxfp4(t) ? BlockFormat.parse(format) : null;
        for (long r0 = 0; r0 < rows; r0 += rowsPerBlock) {
            int n = (int) Math.min(rowsPerBlock, rows - r0);
            buffer.clear();
            if (isMxfp4(t)) {
                fillMxfp4(t.kind(), buffer, (int) (n * rowBytes), random);
                buffer.position(0).limit((int) (n * rowBytes));
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                continue;
            }
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < cols; c++) {
                    switch (t.kind()) {
                        case NORM:
                            row[c] = 1f;
                            break;
                        case BIAS:
                            row[c] = (float) ((random.nextDouble() - 0.5) * 0.02);
                            break;
                        default:
                            row[c] = (float) ((2 * random.nextDouble() - 1) * bound);
                    }
                }
                int at = (int) (r * rowBytes);
                if (block != null) {
                    block.quantize(row, 0, cols, buffer, at);
                } else if (s.dtype().equals("F32")) {
                    for (int c = 0; c < cols; c++) {
                        buffer.putFloat(at + 4 * c, row[c]);
                    }
                } else if (s.dtype().equals("F16")) {
                    for (int c = 0; c < cols; c++) {
                        buffer.putShort(at + 2 * c, io.moezoo.formats.Half.toF16(row[c]));
                    }
                } else {
                    for (int c = 0; c < cols; c++) {
                        buffer.putShort(at + 2 * c, (short) (Float.floatToIntBits(row[c]) >>> 16));
                    }
                }
            }
            buffer.position(0).limit((int) (n * rowBytes));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }

    /**
     * Random e2m1 codes, or scale bytes 2^-7 and 2^-6 (e2m1's mean square is 8.56, so a row of 2880
     * such weights keeps unit-variance inputs near unit variance, as the float formats do).
     */
    private static void fillMxfp4(
            BenchShape.Kind kind, ByteBuffer buffer, int bytes, SplittableRandom random) {
        for (int b = 0; b < bytes; b++) {
            buffer.put(
                    b,
                    kind == BenchShape.Kind.MXFP4_BLOCKS
                            ? (byte) random.nextInt(256)
                            : (byte) (120 + random.nextInt(2)));
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p :
                    (Iterable<Path>) paths.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
