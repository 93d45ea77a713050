package io.moezoo.zoo.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.repository.zoo.Criteria;
import io.moezoo.translators.text.SequenceScore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A download killed half-way (the process ended by SIGKILL, so no clean-up ran) leaves a temporary
 * directory; the next run removes it, and keeps those a live process may still be writing.
 */
class InterruptedDownloadTest {

    @Test
    void theNextRunRemovesWhatAKilledDownloadLeft(@TempDir Path tmp) throws Exception {
        try (HostileRepository repo = new HostileRepository(tmp)) {
            // DJL's layout: <metadata dir>/<version>/<artifact name>/, downloads beside it.
            Path parent =
                    repo.cacheRoot.resolve(
                            HostileRepository.METADATA_DIR + HostileRepository.VERSION);
            repo.server.stallAfterHeaders("weights.bin");
            Process child =
                    new ProcessBuilder(
                                    Paths.get(System.getProperty("java.home"), "bin", "java")
                                            .toString(),
                                    "-Xmx128m",
                                    "-Dai.djl.offline=true",
                                    "-cp",
                                    System.getProperty("java.class.path"),
                                    PrepareMain.class.getName(),
                                    repo.server.url(),
                                    repo.cacheRoot.toString())
                            .redirectErrorStream(true)
                            .redirectOutput(tmp.resolve("child.log").toFile())
                            .start();
            try {
                Path partial = waitForPartialDownload(parent, child.pid());
                assertTrue(Files.size(partial) > 0, "the child was writing " + partial);
            } finally {
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            assertEquals(1, temporaries(parent).size(), "the killed run left its directory");

            // Leftovers of an older naming scheme, stale by age, and a fresh one of this process.
            Path old = Files.createDirectories(parent.resolve(".download-123abc"));
            Files.setLastModifiedTime(old, FileTime.from(Instant.now().minusSeconds(3 * 86400)));
            Path live =
                    Files.createDirectories(
                            parent.resolve(".download-" + ProcessHandle.current().pid() + "-live"));

            repo.server.clearFaults();
            Path dir =
                    repo.client()
                            .prepare(
                                    Criteria.builder()
                                            .setTypes(String.class, SequenceScore.class)
                                            .build(),
                                    null);
            assertTrue(Files.isRegularFile(dir.resolve("weights.bin")));
            assertEquals(List.of(live), temporaries(parent), "only the live directory is kept");
            assertFalse(Files.exists(old));
        }
    }

    private static Path waitForPartialDownload(Path parent, long pid) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < end) {
            for (Path dir : temporaries(parent)) {
                Path weights = dir.resolve("weights.bin");
                if (dir.getFileName().toString().startsWith(".download-" + pid + "-")
                        && Files.isRegularFile(weights)
                        && Files.size(weights) > 0) {
                    return weights;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the child never started writing the download");
    }

    private static List<Path> temporaries(Path parent) throws IOException {
        if (!Files.isDirectory(parent)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(parent)) {
            return list.filter(p -> p.getFileName().toString().startsWith(".download-"))
                    .sorted()
                    .toList();
        }
    }
}
