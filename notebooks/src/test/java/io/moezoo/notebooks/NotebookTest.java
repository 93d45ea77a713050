package io.moezoo.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The checks applied to executed notebooks, on hand-written notebook files. */
class NotebookTest {

    private static Path write(Path dir, String cells) throws IOException {
        Path file = dir.resolve("n.ipynb");
        Files.writeString(
                file,
                "{\"cells\": ["
                        + cells
                        + "], \"metadata\": {\"kernelspec\": {\"name\": \"moe-zoo-java\"}},"
                        + " \"nbformat\": 4, \"nbformat_minor\": 5}");
        return file;
    }

    @Test
    void cleanNotebookWithChartHasNoProblems(@TempDir Path dir) throws IOException {
        Notebook nb =
                Notebook.read(
                        write(
                                dir,
                                "{\"cell_type\": \"markdown\", \"source\": \"# t\"},"
                                        + "{\"cell_type\": \"code\", \"execution_count\": 1,"
                                        + " \"source\": [\"%dependency /add io.moezoo:moe-blocks:0.1.0-SNAPSHOT\\n\","
                                        + " \"%dependency /add ai.djl.pytorch:pytorch-native-cpu:jar:linux-x86_64:2.7.1\"],"
                                        + " \"outputs\": [{\"output_type\": \"stream\", \"name\": \"stdout\", \"text\": \"ok\"}]},"
                                        + "{\"cell_type\": \"code\", \"execution_count\": 2,"
                                        + " \"source\": \"chart.toImage()\", \"outputs\": [{\"output_type\":"
                                        + " \"execute_result\", \"data\": {\"image/png\": \"iVBOR\"}}]}"));
        assertEquals(List.of(), nb.executionProblems());
        assertEquals("moe-zoo-java", nb.kernelName());
        assertEquals(
                List.of(
                        new Notebook.Dependency("io.moezoo", "moe-blocks", "0.1.0-SNAPSHOT"),
                        new Notebook.Dependency("ai.djl.pytorch", "pytorch-native-cpu", "2.7.1")),
                nb.dependencies());
    }

    @Test
    void reportsErrorsUnexecutedCellsAndMissingCharts(@TempDir Path dir) throws IOException {
        Notebook nb =
                Notebook.read(
                        write(
                                dir,
                                "{\"cell_type\": \"code\", \"execution_count\": 1, \"source\": \"int x = 1 / 0;\","
                                        + " \"outputs\": [{\"output_type\": \"error\", \"ename\": \"ArithmeticException\","
                                        + " \"evalue\": \"/ by zero\", \"traceback\": [\"at line 1\"]}]},"
                                        + "{\"cell_type\": \"code\", \"execution_count\": null,"
                                        + " \"source\": \"chart.toImage()\", \"outputs\": []}"));
        List<String> problems = nb.executionProblems();
        assertEquals(3, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("cell 0 failed"), problems.get(0));
        assertTrue(problems.get(0).contains("int x = 1 / 0;"), "failing source quoted");
        assertTrue(problems.get(0).contains("ArithmeticException: / by zero"), problems.get(0));
        assertTrue(problems.get(1).contains("cell 1 was not executed"), problems.get(1));
        assertTrue(
                problems.get(2).contains("renders a chart but has no image/png"), problems.get(2));
    }

    @Test
    void notebookWithoutOutputsIsReported(@TempDir Path dir) throws IOException {
        Notebook nb =
                Notebook.read(
                        write(
                                dir,
                                "{\"cell_type\": \"code\", \"execution_count\": 1, \"source\": \"int x = 1;\","
                                        + " \"outputs\": []}"));
        assertEquals(List.of("n.ipynb has no outputs"), nb.executionProblems());
    }
}
