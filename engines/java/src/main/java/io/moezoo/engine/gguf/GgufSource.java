package io.moezoo.engine.gguf;

import com.google.gson.JsonObject;
import io.moezoo.engine.tensor.TensorSource;
import io.moezoo.engine.tensor.WeightMatrix;
import io.moezoo.formats.MalformedCheckpointException;
import io.moezoo.hf.HfConfigMapper;
import io.moezoo.models.language.DecoderSpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A GGUF file presented as the Hugging Face checkpoint it stands for. {@link #spec()} is mapped by
 * {@link HfConfigMapper} from the config.json the architecture rebuilds from the metadata, with the
 * same checks as a checkpoint directory's. Tensors are read in place under the Hugging Face keys
 * and layouts the engine uses ({@link GgufTensorPlan}): a stacked expert tensor serves each
 * expert's key as a row range; llama's permuted q/k rows are put back in Hugging Face order in a
 * small heap copy; gpt-oss's experts are served in llama.cpp's split layout ({@link
 * GptOssExpertRows}), MXFP4 ones in ggml's blocks, read in place. Every tensor of the file must be
 * one the plan expects, with the expected shape.
 */
public final class GgufSource implements TensorSource {

    private record Slot(GgufTensorPlan.Entry entry, GgufTensorInfo tensor, int index) {}

    private final GgufFile file;
    private final String architecture;
    private final DecoderSpec spec;
    private final Map<String, Slot> slots;
    private final Map<String, GgufFile.MappedRows> mapped = new HashMap<>();

    private GgufSource(
            GgufFile file, String architecture, DecoderSpec spec, Map<String, Slot> slots) {
        this.file = file;
        this.architecture = architecture;
        this.spec = spec;
        this.slots = slots;
    }

    /**
     * Opens and validates a GGUF file: its structure, its metadata as a config, and every tensor's
     * name and shape.
     *
     * @param path the .gguf file
     * @return the source
     * @throws IOException if the file cannot be read
     * @throws MalformedCheckpointException if it is malformed, of an unsupported architecture or
     *     type, or its tensors do not match its metadata
     */
    public static GgufSource open(Path path) throws IOException, MalformedCheckpointException {
        GgufFile file = GgufFile.open(path);
        String origin = path.toString();
        GgufMetadata m = new GgufMetadata(origin, file.metadata());
        GgufArchitecture arch = GgufArchitectures.byName(m.string("general.architecture"), origin);
        Set<String> names = file.tensors().keySet();
        JsonObject config = arch.config(m, names);
        DecoderSpec spec =
                HfConfigMapper.map(config.toString(), origin + " (metadata as config.json)");
        GgufTensorPlan plan = GgufTensorPlan.of(spec, arch);
        Map<String, Slot> slots = new LinkedHashMap<>();
        Set<String> planned = new java.util.HashSet<>();
        for (GgufTensorPlan.Entry e : plan.entries()) {
            planned.add(e.gguf());
            GgufTensorInfo t = file.tensors().get(e.gguf());
            if (t == null) {
                throw new MalformedCheckpointException(
                        origin
                                + ": tensor '"
                                + e.gguf()
                                + "' is missing (it holds "
                                + e.keys().get(0)
                                + ")");
            }
            if (!sameShape(t.shape(), e.shape())) {
                throw new MalformedCheckpointException(
                        origin
                                + ": tensor '"
                                + e.gguf()
                                + "' has shape (row-major) "
                                + Arrays.toString(t.shape())
                                + ", expected "
                                + Arrays.toString(e.shape())
                                + " from the metadata");
            }
            if (!e.importable()) {
                continue;
            }
            for (int i = 0; i < e.keys().size(); i++) {
                slots.put(e.keys().get(i), new Slot(e, t, i));
            }
        }
        for (String name : names) {
            if (!planned.contains(name)) {
                throw new MalformedCheckpointException(
                        origin
                                + ": tensor '"
                                + GgufFile.printable(name)
                                + "' is not one the "
                                + arch.name()
                                + " architecture uses for this config");
            }
        }
        return new GgufSource(file, arch.name(), spec, Collections.unmodifiableMap(slots));
    }

    /** Shapes equal once leading 1s (ggml's trailing ones) are dropped. */
    static boolean sameShape(long[] a, long[] b) {
        return Arrays.equals(strip(a), strip(b));
    }

    private static long[] strip(long[] s) {
        int i = 0;
        while (i < s.length - 1 && s[i] == 1) {
            i++;
        }
        return Arrays.copyOfRange(s, i, s.length);
    }

    @Override
    public DecoderSpec spec() {
        return spec;
    }

    /**
     * Returns the validated file.
     *
     * @return the file
     */
    public GgufFile file() {
        return file;
    }

    /**
     * Returns llama.cpp's architecture name.
     *
     * @return the architecture
     */
    public String architecture() {
        return architecture;
    }

    /**
     * Returns every Hugging Face key this source serves.
     *
     * @return the keys
     */
    public Set<String> keys() {
        return slots.keySet();
    }

    @Override
    public boolean contains(String key) {
        return slots.containsKey(key);
    }

    private Slot slot(String key, long[] shape) throws MalformedCheckpointException {
        Slot s = slots.get(key);
        if (s == null) {
            throw new MalformedCheckpointException(file.path() + ": no tensor holds '" + key + "'");
        }
        if (!Arrays.equals(shape, s.entry().keyShape())) {
            throw new MalformedCheckpointException(
                    file.path()
                            + ": '"
                            + key
                            + "' has shape "
                            + Arrays.toString(s.entry().keyShape())
                            + ", expected "
                            + Arrays.toString(shape));
        }
        return s;
    }

    private synchronized GgufFile.MappedRows mapped(GgufTensorInfo t)
            throws IOException, MalformedCheckpointException {
        GgufFile.MappedRows m = mapped.get(t.name());
        if (m == null) {
            m = file.map(t);
            mapped.put(t.name(), m);
        }
        return m;
    }

    @Override
    public WeightMatrix matrix(String key, long... shape)
            throws MalformedCheckpointException, IOException {
        Slot s = slot(key, shape);
        long[] keyShape = s.entry().keyShape();
        int cols = (int) keyShape[keyShape.length - 1];
        int rows = (int) (product(keyShape) / cols);
        GgufTensorInfo t = s.tensor();
        GgufFile.MappedRows m = mapped(t);
        if (s.entry().permuteHeads() > 0) {
            return WeightMatrix.of(t.type().format(), rows, cols, permutedCopy(s, m, rows));
        }
        WeightMatrix all =
                WeightMatrix.of(
                        t.type().format(),
                        (int) t.rows(),
                        (int) t.cols(),
                        m.chunks(),
                        m.rowsPerChunk());
        return s.entry().stacked() ? all.rowRange(s.index() * rows, rows) : all;
    }

    /** The rows of a permuted q/k tensor in Hugging Face order, copied to the heap. */
    private ByteBuffer permutedCopy(Slot s, GgufFile.MappedRows m, int rows) {
        GgufTensorInfo t = s.tensor();
        int rowBytes = (int) t.type().bytes(t.cols());
        int headDim = rows / s.entry().permuteHeads();
        ByteBuffer out =
                ByteBuffer.allocate(Math.multiplyExact(rows, rowBytes))
                        .order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < rows; r++) {
            ByteBuffer row = row(m, GgufTensorPlan.ggufRow(r, headDim), rowBytes);
            out.put(row);
        }
        return out.flip();
    }

    private static ByteBuffer row(GgufFile.MappedRows m, int row, int rowBytes) {
        ByteBuffer chunk = m.chunks()[row / m.rowsPerChunk()].duplicate();
        int at = (row % m.rowsPerChunk()) * rowBytes;
        chunk.limit(at + rowBytes).position(at);
        return chunk;
    }

    @Override
    public float[] floats(String key, long... shape)
            throws MalformedCheckpointException, IOException {
        Slot s = slot(key, shape);
        long n = product(s.entry().keyShape());
        if (n > Integer.MAX_VALUE) {
            throw new MalformedCheckpointException(
                    file.path() + ": '" + key + "' is too large for floats()");
        }
        GgufTensorInfo t = s.tensor();
        GgufFile.MappedRows m = mapped(t);
        int cols = (int) t.cols();
        int rowBytes = (int) t.type().bytes(cols);
        long first = s.index() * n;
        float[] out = new float[(int) n];
        float[] row = new float[cols];
        for (long e = first; e < first + n; e += cols) {
            int r = (int) (e / cols);
            ByteBuffer chunk = m.chunks()[r / m.rowsPerChunk()];
            GgufCodec.decode(chunk, (r % m.rowsPerChunk()) * rowBytes, t.type(), row, 0, cols);
            System.arraycopy(row, 0, out, (int) (e - first), cols);
        }
        int heads = s.entry().permuteHeads();
        if (heads > 0) {
            long[] ks = s.entry().keyShape();
            int rows = ks.length == 1 ? (int) n : (int) (n / ks[ks.length - 1]);
            int width = (int) (n / rows);
            float[] hf = new float[out.length];
            for (int r = 0; r < rows; r++) {
                System.arraycopy(
                        out, GgufTensorPlan.ggufRow(r, rows / heads) * width, hf, r * width, width);
            }
            return hf;
        }
        return out;
    }

    private static long product(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public long fileBytes() {
        return file.fileSize();
    }

    @Override
    public synchronized void close() {
        mapped.clear();
    }
}
