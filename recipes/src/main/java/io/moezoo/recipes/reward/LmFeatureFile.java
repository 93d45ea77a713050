package io.moezoo.recipes.reward;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Keeps an {@link LmFeatureCache} on disk between runs of the recipe (a work file under {@code
 * target/}, never shipped): magic, the two matrices' shapes, then their floats.
 */
final class LmFeatureFile {

    private static final int MAGIC = 0x4c4d4631; // "LMF1"
    private static final int MAX_ROWS = 1 << 22;
    private static final int MAX_COLUMNS = 1 << 12;

    private LmFeatureFile() {}

    static void write(Path file, LmFeatureCache cache) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try (DataOutputStream out =
                new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(temp)))) {
            out.writeInt(MAGIC);
            writeMatrix(out, cache.statistics());
            writeMatrix(out, cache.promptStates());
        }
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
    }

    static LmFeatureCache read(Path file) throws IOException {
        try (DataInputStream in =
                new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (in.readInt() != MAGIC) {
                throw new IOException(file + " is not a feature cache");
            }
            return new LmFeatureCache(readMatrix(in, file), readMatrix(in, file));
        }
    }

    private static void writeMatrix(DataOutputStream out, float[][] m) throws IOException {
        out.writeInt(m.length);
        out.writeInt(m[0].length);
        for (float[] row : m) {
            for (float v : row) {
                out.writeFloat(v);
            }
        }
    }

    private static float[][] readMatrix(DataInputStream in, Path file) throws IOException {
        int rows = in.readInt();
        int cols = in.readInt();
        if (rows <= 0 || rows > MAX_ROWS || cols <= 0 || cols > MAX_COLUMNS) {
            throw new IOException(file + ": invalid shape " + rows + " x " + cols);
        }
        float[][] m = new float[rows][cols];
        for (float[] row : m) {
            for (int k = 0; k < cols; k++) {
                row[k] = in.readFloat();
            }
        }
        return m;
    }
}
