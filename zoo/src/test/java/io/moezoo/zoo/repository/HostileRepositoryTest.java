package io.moezoo.zoo.repository;

import static io.moezoo.zoo.repository.HostileRepository.hostileClass;
import static io.moezoo.zoo.repository.HostileRepository.jar;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.repository.zoo.Criteria;
import io.moezoo.translators.text.SequenceScore;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The zoo client against a hostile repository server on loopback: code in artifacts, archive bombs,
 * slow and stalling servers, redirects, traversal in versions, names and URIs, and corrupt or
 * oversized metadata. Every scenario must end in an {@link ArtifactFetchException} that names the
 * URL and the reason, within its deadline, with no hostile code initialised, and with the client's
 * cache and the directory beside it exactly as they were (no temporary or partial file, no other
 * model touched).
 */
class HostileRepositoryTest {

    /** Short transfer limits, so that slow-server scenarios end in seconds. */
    private static final Map<String, String> LIMITS =
            Map.of(
                    "moezoo.download.connectTimeoutSeconds", "2",
                    "moezoo.download.deadlineSeconds", "4",
                    "moezoo.download.metadataDeadlineSeconds", "4",
                    "moezoo.download.minBytesPerSecond", "64",
                    "moezoo.download.windowSeconds", "1");

    @TempDir static Path scratch;

    @BeforeAll
    static void setUp() {
        LIMITS.forEach(System::setProperty);
    }

    @AfterAll
    static void tearDown() {
        LIMITS.keySet().forEach(System::clearProperty);
        System.clearProperty(HostileRepository.CODE_RAN);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("io.moezoo.zoo.repository.HostileScenarios#all")
    void hostileRepositoryIsRefusedCleanly(HostileScenarios.Scenario scenario, @TempDir Path tmp)
            throws Exception {
        try (HostileRepository repo = new HostileRepository(tmp)) {
            scenario.attack().apply(repo);
            Map<String, String> before = repo.snapshot();
            MoeModelLoader client = repo.client();
            Exception e =
                    assertTimeoutPreemptively(
                            Duration.ofSeconds(20),
                            () ->
                                    assertThrows(
                                            Exception.class,
                                            () -> client.prepare(criteria(), null)));
            assertInstanceOf(ArtifactFetchException.class, e, scenario.name());
            String message = e.getMessage();
            assertTrue(message.contains(repo.server.url()), "names the URL: " + message);
            for (String fragment : scenario.expected()) {
                assertTrue(
                        message.toLowerCase(Locale.ROOT)
                                .contains(fragment.toLowerCase(Locale.ROOT)),
                        "'" + fragment + "' expected in: " + message);
            }
            assertNull(System.getProperty(HostileRepository.CODE_RAN), "hostile code ran");
            assertEquals(before, repo.snapshot(), "the cache or its surroundings changed");
        }
    }

    /** The scenarios fail because of their attack: the untouched stage downloads and loads. */
    @Test
    void theStageWithoutAnAttackIsServedAndLoads(@TempDir Path tmp) throws Exception {
        try (HostileRepository repo = new HostileRepository(tmp)) {
            Path dir = repo.client().prepare(criteria(), null);
            assertEquals(
                    HostileRepository.sha1(
                            Files.readAllBytes(repo.versionDir.resolve("weights.bin"))),
                    HostileRepository.sha1(Files.readAllBytes(dir.resolve("weights.bin"))));
            assertTrue(
                    Files.exists(repo.cacheRoot.resolve(HostileRepository.METADATA_DIR + "0.0.9")));
        }
    }

    /** Through DJL's Criteria, as an application loads a model, the hostile names are refused. */
    @Test
    void criteriaRefusesAHostileArtifactBeforeAnyCodeRuns(@TempDir Path tmp) throws Exception {
        try (HostileRepository repo = new HostileRepository(tmp)) {
            repo.listFile("evil.jar", "evil.jar", jar(hostileClass()));
            repo.setArgument("blockFactory", "evil.Evil");
            repo.setArgument("translatorFactory", "evil.Evil");
            Map<String, String> before = repo.snapshot();
            Criteria<String, SequenceScore> criteria =
                    Criteria.builder()
                            .setTypes(String.class, SequenceScore.class)
                            .optModelZoo(
                                    new io.moezoo.zoo.MoeModelZoo(
                                            ZooRepository.of(repo.server.url())
                                                    .cachedIn(repo.cacheRoot)))
                            .optArtifactId(HostileRepository.ID)
                            .build();
            ArtifactFetchException e =
                    assertThrows(ArtifactFetchException.class, criteria::loadModel);
            assertTrue(e.getMessage().contains(repo.server.url()), e.getMessage());
            assertNull(System.getProperty(HostileRepository.CODE_RAN), "hostile code ran");
            assertEquals(before, repo.snapshot());
        }
    }

    /** The marker the scenarios check is real: loading the hostile class does set it. */
    @Test
    void theHostileClassMarksThatItRan() throws Exception {
        Path dir = Files.createDirectories(scratch.resolve("oracle/evil"));
        Files.write(dir.resolve("Evil.class"), hostileClass());
        try (URLClassLoader loader =
                new URLClassLoader(new URL[] {scratch.resolve("oracle").toUri().toURL()}, null)) {
            Class.forName("evil.Evil", true, loader);
            assertEquals("true", System.getProperty(HostileRepository.CODE_RAN));
        } finally {
            System.clearProperty(HostileRepository.CODE_RAN);
        }
    }

    private static Criteria<String, SequenceScore> criteria() {
        return Criteria.builder().setTypes(String.class, SequenceScore.class).build();
    }
}
