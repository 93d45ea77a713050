package io.moezoo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What {@code mvn deploy} published to the file repository is what an application needs: every
 * library with its sources and javadoc jars, the weights and the BOM, library POMs that bind no
 * logger and pick no PyTorch natives, and a README whose Maven blocks are this build's own.
 */
class PublishedArtifactsTest {

    private static final Path REPOSITORY =
            Paths.get(System.getProperty("moezoo.repository.dir", "../target/maven-repo"));
    private static final String VERSION = System.getProperty("moezoo.version", "0.1.0-SNAPSHOT");
    private static final List<String> LIBRARIES =
            List.of(
                    "moe-blocks",
                    "moe-zoo-formats",
                    "moe-zoo-translators",
                    "moe-zoo-models",
                    "moe-zoo-hf",
                    "moe-zoo",
                    "moe-zoo-engine-java",
                    "moe-zoo-onnx",
                    "moe-zoo-spark",
                    "moe-zoo-plots");

    private static Path versionDir(String artifactId) {
        return REPOSITORY.resolve("io/moezoo").resolve(artifactId).resolve(VERSION);
    }

    private static boolean has(String artifactId, String suffix) throws IOException {
        Path dir = versionDir(artifactId);
        if (!Files.isDirectory(dir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.getFileName().toString().startsWith(artifactId + "-")
                    && f.getFileName().toString().endsWith(suffix));
        }
    }

    private static String pom(String artifactId) throws IOException {
        try (Stream<Path> files = Files.list(versionDir(artifactId))) {
            Path pom = files.filter(f -> f.toString().endsWith(".pom")).sorted().reduce((a, b) -> b)
                    .orElseThrow(() -> new AssertionError("no pom for " + artifactId));
            return Files.readString(pom);
        }
    }

    @Test
    void everyLibraryIsPublishedWithSourcesAndJavadoc() throws IOException {
        for (String a : LIBRARIES) {
            for (String suffix : new String[] {".pom", ".jar", "-sources.jar", "-javadoc.jar"}) {
                assertTrue(has(a, suffix), a + suffix + " in " + REPOSITORY);
            }
        }
        assertTrue(has("moe-zoo-weights", ".jar"), "weights jar");
        assertTrue(has("moe-zoo-bom", ".pom"), "bom");
        String bom = pom("moe-zoo-bom");
        for (String a : LIBRARIES) {
            assertTrue(bom.contains("<artifactId>" + a + "</artifactId>"), a + " in the BOM");
        }
    }

    @Test
    void librariesBindNoLoggerAndPickNoPytorchNatives() throws IOException {
        Pattern dependency = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);
        for (String a : LIBRARIES) {
            checkDependencies(a, pom(a), dependency);
        }
        checkDependencies("moe-zoo-parent", pom("moe-zoo-parent"), dependency);
    }

    private static void checkDependencies(String artifact, String pom, Pattern dependency) {
        String withoutManagement = pom.replaceAll("(?s)<dependencyManagement>.*?</dependencyManagement>", "")
                .replaceAll("(?s)<profiles>.*?</profiles>", "");
        assertFalse(pom.contains("<activeByDefault>true</activeByDefault>") && artifact.equals("moe-zoo-parent"),
                "the parent activates no profile for consumers");
        Matcher m = dependency.matcher(withoutManagement);
        while (m.find()) {
            String d = m.group(1);
            boolean binding = d.contains("<artifactId>slf4j-simple</artifactId>")
                    || d.contains("<artifactId>pytorch-native-");
            if (binding) {
                assertTrue(d.contains("<scope>test</scope>"), artifact + " passes on " + d.trim());
            }
        }
    }

    @Test
    void theReadmeMavenBlockIsThisBuildsOwn() throws IOException {
        String readme = Files.readString(Paths.get(System.getProperty("moezoo.readme", "../README.md")));
        int section = readme.indexOf("## Use it from Maven");
        assertTrue(section >= 0, "README section \"Use it from Maven\"");
        int start = readme.indexOf("```xml\n", section);
        int end = readme.indexOf("```", start + 7);
        String block = readme.substring(start + 7, end);
        String pom = Files.readString(Paths.get("pom.xml"));
        String begin = "<!-- README \"Use it from Maven\": begin -->";
        String stop = "<!-- README \"Use it from Maven\": end -->";
        String region = pom.substring(pom.indexOf(begin) + begin.length(), pom.indexOf(stop))
                .replace("${moezoo.version}", VERSION);
        // the README closes the dependencies element the pom goes on with the test dependencies
        assertEquals(normalise(region + "\n</dependencies>"), normalise(block));
    }

    private static String normalise(String xml) {
        return xml.lines().map(String::trim).filter(l -> !l.isEmpty())
                .reduce("", (a, b) -> a + b + "\n");
    }
}
