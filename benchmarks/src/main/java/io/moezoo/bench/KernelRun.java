package io.moezoo.bench;

import io.moezoo.engine.tensor.Codecs;
import io.moezoo.engine.tensor.Mxfp4Codec;
import io.moezoo.engine.tensor.RowCodec;
import io.moezoo.engine.tensor.ScalarCodecs;
import io.moezoo.engine.tensor.ScalarMxfp4Codec;
import io.moezoo.engine.tensor.StoredBytes;
import io.moezoo.engine.tensor.WeightFormat;
import io.moezoo.formats.Half;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;

/**
 * The speed of the engine's row kernels on one thread, in weights per second: dot products of rows
 * of random weights (2880 columns, gpt-oss's width; 512 rows, about 1 MB at MXFP4, so the rows stay
 * in the caches and the kernel, not memory, is measured) with one float32 vector, for the codecs
 * this JVM selected (Vector API or scalar) and for the scalar ones. Prints one JSON line per kernel
 * with the median and best of the passes.
 *
 * <p>Usage: {@code KernelRun [PASSES]}; run with {@code --add-modules jdk.incubator.vector}.
 */
public final class KernelRun {

    private static final int COLS = 2880;
    private static final int ROWS = 512;

    private KernelRun() {}

    /** One kernel over all rows once. */
    private interface Pass {
        double run();
    }

    /**
     * Runs the measurement.
     *
     * @param args [PASSES]
     */
    public static void main(String[] args) {
        int passes = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        Random random = new Random(1);
        float[] x = new float[COLS];
        for (int i = 0; i < COLS; i++) {
            x[i] = (float) random.nextGaussian();
        }
        StoredBytes blocks = StoredBytes.of(bytes(ROWS * COLS / 2, random));
        ByteBuffer scaleBytes = ByteBuffer.allocateDirect(ROWS * COLS / 32);
        for (int i = 0; i < scaleBytes.capacity(); i++) {
            scaleBytes.put(i, (byte) (118 + random.nextInt(12)));
        }
        StoredBytes scales = StoredBytes.of(scaleBytes);
        System.out.printf(
                "{\"java\": %d, \"vectorized\": %b}%n",
                Runtime.version().feature(), Codecs.vectorized());
        measure("mxfp4", mxfp4(Codecs.mxfp4(), blocks, scales, x), passes);
        measure("mxfp4 split x", mxfp4Split(Codecs.mxfp4(), blocks, scales, x), passes);
        measure("mxfp4 scalar", mxfp4(new ScalarMxfp4Codec(), blocks, scales, x), passes);
        for (WeightFormat format : new WeightFormat[] {WeightFormat.Q4_0, WeightFormat.Q8_0}) {
            StoredBytes rows = StoredBytes.of(blockRows(format, random));
            String name = format.name().toLowerCase(java.util.Locale.ROOT);
            measure(name, rows(Codecs.of(format), format, rows, x), passes);
            measure(
                    name + " scalar",
                    rows(ScalarCodecs.all().get(format), format, rows, x),
                    passes);
        }
    }

    private static Pass mxfp4(Mxfp4Codec codec, StoredBytes blocks, StoredBytes scales, float[] x) {
        return () -> {
            double sum = 0;
            for (int r = 0; r < ROWS; r++) {
                sum += codec.dot(blocks, r * COLS / 2, scales, r * COLS / 32, x, 0, COLS);
            }
            return sum;
        };
    }

    /** As the engine's decode step runs it: x split once, then every row's dotSplit. */
    private static Pass mxfp4Split(
            Mxfp4Codec codec, StoredBytes blocks, StoredBytes scales, float[] x) {
        float[] split = new float[COLS];
        return () -> {
            Mxfp4Codec.split(x, 0, split, 0, COLS);
            double sum = 0;
            for (int r = 0; r < ROWS; r++) {
                sum += codec.dotSplit(blocks, r * COLS / 2, scales, r * COLS / 32, split, 0, COLS);
            }
            return sum;
        };
    }

    private static Pass rows(RowCodec codec, WeightFormat format, StoredBytes data, float[] x) {
        int rowBytes = (int) format.rowBytes(COLS);
        return () -> {
            double sum = 0;
            for (int r = 0; r < ROWS; r++) {
                sum += codec.dot(data, r * rowBytes, x, 0, COLS);
            }
            return sum;
        };
    }

    private static ByteBuffer bytes(int n, Random random) {
        ByteBuffer b = ByteBuffer.allocateDirect(n);
        for (int i = 0; i < n; i++) {
            b.put(i, (byte) random.nextInt(256));
        }
        return b;
    }

    /** Random Q8_0 / Q4_0 rows with small finite F16 scales. */
    private static ByteBuffer blockRows(WeightFormat format, Random random) {
        ByteBuffer b = bytes((int) (ROWS * format.rowBytes(COLS)), random);
        b.order(ByteOrder.LITTLE_ENDIAN);
        for (int block = 0; block < ROWS * COLS / 32; block++) {
            b.putShort(block * format.blockBytes(), Half.toF16(0.01f + 0.01f * random.nextFloat()));
        }
        return b;
    }

    private static void measure(String name, Pass pass, int passes) {
        double sink = 0;
        long budget = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < budget) {
            sink += pass.run(); // warm-up: about a second
        }
        double[] rates = new double[passes];
        for (int p = 0; p < passes; p++) {
            int reps = 0;
            long start = System.nanoTime();
            long elapsed;
            do {
                sink += pass.run();
                reps++;
                elapsed = System.nanoTime() - start;
            } while (elapsed < 100_000_000L);
            rates[p] = (double) reps * ROWS * COLS / (elapsed / 1e9);
        }
        Arrays.sort(rates);
        System.out.printf(
                "{\"kernel\": \"%s\", \"weights_per_s_median\": %.3g, \"weights_per_s_best\": %.3g,"
                        + " \"sink\": %g}%n",
                name, rates[passes / 2], rates[passes - 1], sink);
    }
}
