package io.moezoo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the command line writes gets the permissions of any new file or directory (those the umask
 * leaves: {@code rw-r--r--} and {@code rwxr-xr-x} under 022), not the owner-only ones of temporary
 * files moved into place.
 */
class OutputPermissionsTest {

    private static final Path FIXTURES =
            Paths.get("..", "hf", "src", "test", "resources", "fixtures");

    @TempDir Path dir;

    private Set<PosixFilePermission> newFile;
    private Set<PosixFilePermission> newDirectory;

    /** The oracle: what the file system gives a plain new file and directory here. */
    @BeforeEach
    void plainPermissions() throws IOException {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        newFile = Files.getPosixFilePermissions(Files.createFile(dir.resolve("plain-file")));
        newDirectory =
                Files.getPosixFilePermissions(Files.createDirectory(dir.resolve("plain-dir")));
        // Under the usual umask the oracle is the familiar pair; a stricter one only narrows both.
        if (newFile.equals(PosixFilePermissions.fromString("rw-r--r--"))) {
            assertEquals(PosixFilePermissions.fromString("rwxr-xr-x"), newDirectory);
        }
    }

    private static void run(String... args) {
        StringWriter err = new StringWriter();
        int code =
                MoeZooCli.run(
                        args, new PrintWriter(new StringWriter()), new PrintWriter(err, true));
        assertEquals(0, code, err.toString());
    }

    private void assertPlain(Path file) throws IOException {
        assertEquals(
                PosixFilePermissions.toString(Files.isDirectory(file) ? newDirectory : newFile),
                PosixFilePermissions.toString(Files.getPosixFilePermissions(file)),
                file.toString());
    }

    @Test
    void ggufExport() throws IOException {
        Path out = dir.resolve("olmoe.gguf");
        run("gguf", "export", FIXTURES.resolve("olmoe").toString(), out.toString());
        assertPlain(out);
    }

    @Test
    void quantizedCheckpoint() throws IOException {
        Path out = dir.resolve("q8");
        run(
                "quantize",
                FIXTURES.resolve("mixtral_sharded").toString(),
                "--to",
                "q8_0",
                out.toString());
        try (Stream<Path> files = Files.walk(out)) {
            for (Path file : files.toList()) {
                assertPlain(file);
            }
        }
    }

    @Test
    void plot() throws Exception {
        Path model = WordModel.write(dir.resolve("model"));
        Path png = dir.resolve("plots/routing.png");
        run(
                "generate",
                model.toString(),
                "w5 w17",
                "--max-new-tokens",
                "2",
                "--routing-plot",
                png.toString());
        assertPlain(png);
    }
}
