package io.moezoo.onnx.graph;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import io.moezoo.onnx.OnnxGraphException;
import io.moezoo.onnx.OrtRunner;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GraphBuilderTest {

    @TempDir Path dir;

    @Test
    void matMulAddRunsInOnnxRuntime() throws Exception {
        GraphBuilder g = new GraphBuilder("affine");
        String x = g.input("x", OnnxDataType.FLOAT, "batch", 3);
        String w =
                g.initializer(
                        OnnxTensor.floats("w", new long[] {3, 2}, new float[] {1, 2, 3, 4, 5, 6}));
        String b = g.initializer(OnnxTensor.floats("b", new long[] {2}, new float[] {0.5f, -1}));
        String y = g.op("Add", List.of(g.op("MatMul", List.of(x, w)), b));
        g.output(y, "y", OnnxDataType.FLOAT, "batch", 2);
        g.metadata("source", "test");
        Path file = dir.resolve("affine.onnx");
        g.build().write(file);

        try (OrtRunner ort = new OrtRunner(file)) {
            float[] out =
                    ort.run(
                                    m ->
                                            new NDList(
                                                    m.create(
                                                            new float[] {1, 0, -1, 2, 1, 0},
                                                            new Shape(2, 3))))
                            .get(0);
            // [1,0,-1]·W = [1-5, 2-6] = [-4,-4]; [2,1,0]·W = [2+3, 4+4] = [5, 8]; plus b.
            assertArrayEquals(new float[] {-3.5f, -5f, 5.5f, 7f}, out, 1e-6f);
            assertEquals("test", ort.metadata().get("source"));
        }
    }

    @Test
    void externalDataRunsInOnnxRuntime() throws Exception {
        GraphBuilder g = new GraphBuilder("affine_external");
        String x = g.input("x", OnnxDataType.FLOAT, "batch", 3);
        String w =
                g.initializer(
                        OnnxTensor.floats("w", new long[] {3, 2}, new float[] {1, 2, 3, 4, 5, 6}));
        String b = g.initializer(OnnxTensor.floats("b", new long[] {2}, new float[] {0.5f, -1}));
        g.output(
                g.op("Add", List.of(g.op("MatMul", List.of(x, w)), b)),
                "y",
                OnnxDataType.FLOAT,
                "batch",
                2);
        Path file = dir.resolve("external/affine.onnx");
        g.build().writeWithExternalData(file, 0);
        // Both initializers in the data file, the second at the next 4 KiB boundary.
        assertEquals(4096 + 8, java.nio.file.Files.size(dir.resolve("external/affine.onnx.data")));
        try (OrtRunner ort = new OrtRunner(file)) {
            float[] out =
                    ort.run(
                                    m ->
                                            new NDList(
                                                    m.create(
                                                            new float[] {1, 0, -1, 2, 1, 0},
                                                            new Shape(2, 3))))
                            .get(0);
            assertArrayEquals(new float[] {-3.5f, -5f, 5.5f, 7f}, out, 1e-6f);
        }
    }

    @Test
    void undefinedInputIsRejected() {
        GraphBuilder g = new GraphBuilder("bad");
        OnnxGraphException e =
                assertThrows(OnnxGraphException.class, () -> g.op("Relu", List.of("nowhere")));
        assertTrue(e.getMessage().contains("nowhere"), e.getMessage());
    }

    @Test
    void duplicateInputAndBadTensorAreRejected() {
        GraphBuilder g = new GraphBuilder("dup");
        g.input("x", OnnxDataType.FLOAT, 2);
        assertThrows(OnnxGraphException.class, () -> g.input("x", OnnxDataType.FLOAT, 2));
        assertThrows(
                OnnxGraphException.class,
                () -> OnnxTensor.floats("t", new long[] {3}, new float[] {1, 2}));
        assertThrows(OnnxGraphException.class, () -> new GraphBuilder("empty").build());
    }

    @Test
    void uniqueNamesAndSharedConstants() {
        GraphBuilder g = new GraphBuilder("names");
        String a = g.initializer(OnnxTensor.scalar("c", 1f));
        String b = g.initializer(OnnxTensor.scalar("c", 2f));
        assertTrue(!a.equals(b), a + " " + b);
        assertTrue(g.ints(1, 2).equals(g.ints(1, 2)));
        assertTrue(!g.ints(1, 2).equals(g.ints(2, 1)));
    }
}
