package io.moezoo.zoo.repository;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Application;
import ai.djl.repository.zoo.Criteria;
import ai.djl.util.Progress;
import io.moezoo.translators.text.SequenceScore;
import io.moezoo.zoo.MoeModelZoo;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository layer against a small synthetic artifact: downloads over loopback HTTP and from
 * {@code file:}, progress, the atomic cache, and every rejection the zoo promises (sha1 mismatch,
 * truncation, HTTP 404/500, archive entries escaping the directory, invalid metadata) leaving the
 * cache without a single file.
 */
class RepositoryTest {

    private static final Application APP = Application.NLP.TEXT_GENERATION;
    private static final String ID = "brown-moe";
    private static final String VERSION_DIR =
            ZooRepository.metadataDirectory(APP, MoeModelZoo.GROUP_ID, ID) + "0.1.0/";

    @TempDir Path tmp;

    private Path repository() throws IOException {
        Path root = tmp.resolve("repo");
        Path dir = Files.createDirectories(root.resolve(VERSION_DIR));
        Files.writeString(dir.resolve("weights.bin"), "0123456789".repeat(1000));
        Files.writeString(dir.resolve("model.json"), "{\"hello\": 1}");
        Files.writeString(
                dir.resolve("card.json"),
                "{\"arguments\": {\"blockFactory\": \"io.moezoo.models.language.DecoderBlockFactory\","
                        + " \"translatorFactory\":"
                        + " \"io.moezoo.translators.text.TextTranslatorFactory\"}}");
        return root;
    }

    private void publish(Path root) throws IOException {
        ArtifactPublisher.publish(root, APP, MoeModelZoo.GROUP_ID, ID, "0.1.0");
    }

    private MoeModelLoader loader(String url, Path cache) {
        return new MoeModelLoader(
                ZooRepository.of(url).cachedIn(cache),
                APP,
                MoeModelZoo.GROUP_ID,
                ID,
                io.moezoo.zoo.ZooCatalog.entry(ID).code());
    }

    private static Criteria<String, SequenceScore> criteria() {
        return Criteria.builder().setTypes(String.class, SequenceScore.class).build();
    }

    private static List<Path> files(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void downloadsOverHttpVerifiesAndReportsProgress() throws Exception {
        Path root = repository();
        publish(root);
        Path cache = tmp.resolve("cache");
        try (FaultyHttpServer server = new FaultyHttpServer(root)) {
            AtomicLong bytes = new AtomicLong();
            AtomicLong total = new AtomicLong();
            Progress progress = new RecordingProgress(total, bytes);
            MoeModelLoader loader = loader(server.url(), cache);
            assertFalse(loader.isDownloaded(criteria()));
            Path dir = loader.prepare(criteria(), progress);
            Path source = root.resolve(VERSION_DIR);
            for (String name : List.of("weights.bin", "model.json", "card.json")) {
                assertArrayEquals(
                        Files.readAllBytes(source.resolve(name)),
                        Files.readAllBytes(dir.resolve(name)),
                        name);
            }
            long expected = 0;
            for (String name : List.of("weights.bin", "model.json", "card.json")) {
                expected += Files.size(source.resolve(name));
            }
            assertEquals(expected, total.get(), "progress total");
            assertEquals(expected, bytes.get(), "progress increments");
            assertTrue(loader.isDownloaded(criteria()));

            // A second prepare is served from the cache: no request reaches the server (the
            // loader's MRL keeps the metadata, as DJL's do), and a new loader reads only the
            // metadata.
            int before = server.requests.get();
            server.failWith("weights.bin", 500);
            assertEquals(dir, loader.prepare(criteria(), null));
            assertEquals(before, server.requests.get(), "nothing is fetched");
            assertEquals(dir, loader(server.url(), cache).prepare(criteria(), null));
            assertEquals(before + 1, server.requests.get(), "only metadata.json is fetched");
        }
    }

    @Test
    void fileRepositoryWorksLikeHttp() throws Exception {
        Path root = repository();
        publish(root);
        Path cache = tmp.resolve("cache");
        Path dir = loader(root.toUri().toString(), cache).prepare(criteria(), null);
        assertEquals("{\"hello\": 1}", Files.readString(dir.resolve("model.json")));
    }

    @Test
    void sha1MismatchIsRejectedAndLeavesNoFile() throws Exception {
        Path root = repository();
        publish(root);
        // Same size, different content: only the hash can tell.
        Files.writeString(root.resolve(VERSION_DIR + "model.json"), "{\"hellO\": 1}");
        Path cache = tmp.resolve("cache");
        try (FaultyHttpServer server = new FaultyHttpServer(root)) {
            ArtifactFetchException e =
                    assertThrows(
                            ArtifactFetchException.class,
                            () -> loader(server.url(), cache).prepare(criteria(), null));
            assertTrue(e.getMessage().contains("sha1 mismatch"), e.getMessage());
            assertTrue(e.getMessage().contains("model.json"), e.getMessage());
        }
        assertEquals(List.of(), files(cache));
    }

    @Test
    void truncatedDownloadIsRejected() throws Exception {
        Path root = repository();
        publish(root);
        Path cache = tmp.resolve("cache");
        try (FaultyHttpServer server = new FaultyHttpServer(root)) {
            server.truncate("weights.bin", 4000);
            ArtifactFetchException e =
                    assertThrows(
                            ArtifactFetchException.class,
                            () -> loader(server.url(), cache).prepare(criteria(), null));
            assertTrue(
                    e.getMessage().contains("truncated download, 4000 of 10000"), e.getMessage());
        }
        assertEquals(List.of(), files(cache));
    }

    @Test
    void http404And500AreReportedWithStatus() throws Exception {
        Path root = repository();
        publish(root);
        Path cache = tmp.resolve("cache");
        try (FaultyHttpServer server = new FaultyHttpServer(tmp.resolve("empty"))) {
            ArtifactFetchException e =
                    assertThrows(
                            ArtifactFetchException.class,
                            () -> loader(server.url(), cache).prepare(criteria(), null));
            assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
            assertTrue(e.getMessage().contains("metadata.json"), e.getMessage());
        }
        try (FaultyHttpServer server = new FaultyHttpServer(root)) {
            server.failWith("weights.bin", 500);
            ArtifactFetchException e =
                    assertThrows(
                            ArtifactFetchException.class,
                            () -> loader(server.url(), cache).prepare(criteria(), null));
            assertTrue(e.getMessage().contains("HTTP 500"), e.getMessage());
            assertTrue(e.getMessage().contains("weights.bin"), e.getMessage());
        }
        assertEquals(List.of(), files(cache));
    }

    @Test
    void criteriaSurfacesFetchErrorsUnwrapped() throws Exception {
        Path cache = tmp.resolve("cache");
        try (FaultyHttpServer server = new FaultyHttpServer(tmp.resolve("empty"))) {
            MoeModelZoo zoo = new MoeModelZoo(ZooRepository.of(server.url()).cachedIn(cache));
            Criteria<String, SequenceScore> c =
                    Criteria.builder()
                            .setTypes(String.class, SequenceScore.class)
                            .optModelZoo(zoo)
                            .optArtifactId(ID)
                            .build();
            ArtifactFetchException e = assertThrows(ArtifactFetchException.class, c::loadModel);
            assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
        }
    }

    @Test
    void zipAndTarEntriesEscapingTheDirectoryAreRefused() throws Exception {
        for (String archive : List.of("evil.zip", "evil.tar")) {
            Path root = repository();
            Path dir = root.resolve(VERSION_DIR);
            if (archive.endsWith(".zip")) {
                Files.write(
                        dir.resolve(archive),
                        TestArchives.zip(TestArchives.Entry.file("../escaped.txt", "pwned")));
            } else {
                Files.write(
                        dir.resolve(archive),
                        TestArchives.tar(TestArchives.Entry.file("../escaped.txt", "pwned")));
            }
            publish(root);
            Path cache = tmp.resolve("cache-" + archive);
            ArtifactFetchException e =
                    assertThrows(
                            ArtifactFetchException.class,
                            () -> loader(root.toUri().toString(), cache).prepare(criteria(), null));
            assertTrue(e.getMessage().contains("escapes the target directory"), e.getMessage());
            assertEquals(List.of(), files(cache), archive);
            ai.djl.util.Utils.deleteQuietly(root);
        }
    }

    @Test
    void archivesAreUnpackedIntoTheArtifact() throws Exception {
        Path root = repository();
        Path dir = root.resolve(VERSION_DIR);
        Files.write(
                dir.resolve("extra.zip"),
                TestArchives.zip(
                        TestArchives.Entry.file("sub/inner.txt", "content of sub/inner.txt")));
        Files.write(
                dir.resolve("more.tar"),
                TestArchives.tar(TestArchives.Entry.file("tarred.txt", "from tar")));
        publish(root);
        Path out = loader(root.toUri().toString(), tmp.resolve("cache")).prepare(criteria(), null);
        assertEquals("content of sub/inner.txt", Files.readString(out.resolve("sub/inner.txt")));
        assertEquals("from tar", Files.readString(out.resolve("tarred.txt")));
        assertFalse(Files.exists(out.resolve(".archives")));
    }

    @Test
    void invalidMetadataIsRejectedWithItsReason() throws Exception {
        Path root = repository();
        publish(root);
        Path metadata =
                root.resolve(ZooRepository.metadataDirectory(APP, MoeModelZoo.GROUP_ID, ID))
                        .resolve("metadata.json");
        String valid = Files.readString(metadata);
        Path cache = tmp.resolve("cache");
        String url = root.toUri().toString();

        Files.writeString(metadata, valid.substring(0, valid.length() / 2));
        assertMessage(loader(url, cache), "invalid JSON");

        Files.writeString(
                metadata,
                valid.replaceFirst("\"sha1Hash\": \"[0-9a-f]+\"", "\"sha1Hash\": \"abc\""));
        assertMessage(loader(url, cache), "no valid sha1Hash");

        Files.writeString(
                metadata, valid.replaceFirst("\"name\": \"README", "\"name\": \"../README"));
        Files.writeString(
                metadata,
                valid.replaceFirst("\"uri\": \"card.json\"", "\"uri\": \"../../card.json\""));
        assertMessage(loader(url, cache), "is not a path relative to the artifact");

        Files.writeString(
                metadata,
                valid.replace("\"artifactId\": \"brown-moe\"", "\"artifactId\": \"other\""));
        assertMessage(loader(url, cache), "expected brown-moe");
        assertEquals(List.of(), files(cache));
    }

    @Test
    void repositoryUrlsAreValidated() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> ZooRepository.of("ftp://host/x"));
        assertTrue(e.getMessage().contains("file:, http:, https: or jar:"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ZooRepository.of("no scheme at all"));
    }

    @Test
    void offlineModeRefusesRemoteHostsButNotLoopback() throws Exception {
        assertEquals("true", System.getProperty("ai.djl.offline"), "tests run offline");
        Path cache = tmp.resolve("cache");
        assertMessage(loader("http://example.invalid/repo/", cache), "offline mode is on");
    }

    private void assertMessage(MoeModelLoader loader, String expected) {
        ArtifactFetchException e =
                assertThrows(ArtifactFetchException.class, () -> loader.prepare(criteria(), null));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /** Records what the cache reports. */
    private static final class RecordingProgress implements Progress {
        private final AtomicLong total;
        private final AtomicLong bytes;

        RecordingProgress(AtomicLong total, AtomicLong bytes) {
            this.total = total;
            this.bytes = bytes;
        }

        @Override
        public void reset(String message, long max, String trailingMessage) {
            total.set(max);
        }

        @Override
        public void start(long initialProgress) {}

        @Override
        public void end() {}

        @Override
        public void increment(long increment) {
            bytes.addAndGet(increment);
        }

        @Override
        public void update(long progress, String message) {
            bytes.set(progress);
        }
    }

    @SuppressWarnings("unused")
    private static void unused(OutputStream o) {}
}
