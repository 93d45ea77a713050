package io.moezoo.formats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A weight too large to widen into one float32 array (gpt-oss-20b's embeddings: 201,088 x 2,880
 * BF16, 2.3 GB as float32) is refused by {@link Checkpoint#loadProblem} but fine for {@link
 * Checkpoint#storedProblem}, since an engine that maps it in place never allocates that array. The
 * file is sparse: its 1.16 GB of data take no disk.
 */
class StoredProblemTest {

    @Test
    void aWeightLargerThanOneFloatArrayIsReadableInPlace(@TempDir Path dir) throws Exception {
        long rows = 201_088;
        long cols = 2_880;
        long bytes = rows * cols * 2;
        String header =
                "{\"big\":{\"dtype\":\"BF16\",\"shape\":["
                        + rows
                        + ","
                        + cols
                        + "],\"data_offsets\":[0,"
                        + bytes
                        + "]},\"small\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":["
                        + bytes
                        + ","
                        + (bytes + 4)
                        + "]}}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("model.safetensors");
        try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
            out.write(
                    ByteBuffer.allocate(8)
                            .order(ByteOrder.LITTLE_ENDIAN)
                            .putLong(json.length)
                            .array());
            out.write(json);
            out.setLength(8 + json.length + bytes + 4);
        }
        Checkpoint c = Checkpoint.open(file);
        assertEquals(new Shape(rows, cols), c.shape("big"));
        String problem = c.loadProblem("big");
        assertTrue(
                problem != null && problem.contains("larger than 2 GiB as float32"),
                String.valueOf(problem));
        assertNull(c.storedProblem("big"));
        assertNull(c.loadProblem("small"));
        assertEquals(c.loadProblem("absent"), c.storedProblem("absent"));
    }
}
