package io.moezoo.notebooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JdkLocatorTest {

    @Test
    void featureRelease() {
        assertEquals(25, JdkLocator.feature("25.0.3"));
        assertEquals(21, JdkLocator.feature("21"));
        assertEquals(8, JdkLocator.feature("1.8.0_402"));
        assertEquals(17, JdkLocator.feature("17.0.15+6"));
    }

    private static Path fakeJdk(Path root, String version, boolean jshell) throws IOException {
        Path home = Files.createDirectories(root.resolve("jdk-" + version));
        Path bin = Files.createDirectories(home.resolve("bin"));
        Files.writeString(bin.resolve("java"), "#!/bin/sh\n");
        bin.resolve("java").toFile().setExecutable(true);
        if (jshell) {
            Files.writeString(bin.resolve("jshell"), "#!/bin/sh\n");
            bin.resolve("jshell").toFile().setExecutable(true);
        }
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        return home;
    }

    @Test
    void inspectsReleaseFile(@TempDir Path tmp) throws IOException {
        Path jdk = fakeJdk(tmp, "22.0.1", true);
        assertEquals(22, JdkLocator.inspect(jdk).orElseThrow().feature());
        // A runtime without jshell cannot run the kernel.
        assertTrue(JdkLocator.inspect(fakeJdk(tmp, "23", false)).isEmpty());
        assertTrue(JdkLocator.inspect(tmp.resolve("missing")).isEmpty());
    }

    @Test
    void configuredHomeMustQualify(@TempDir Path tmp) throws IOException {
        Path old = fakeJdk(tmp, "17.0.2", true);
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> JdkLocator.locate(old.toString()));
        assertTrue(e.getMessage().contains("notebooks.java.home=" + old), e.getMessage());
        assertTrue(e.getMessage().contains("21+"), e.getMessage());
        Path good = fakeJdk(tmp, "21.0.4", true);
        assertEquals(good.toRealPath(), JdkLocator.locate(good.toString()).home());
    }

    @Test
    void findsAJdk21OnThisMachine() {
        // The machine image ships a JDK 21+ (Temurin) beside the default JDK 17.
        JdkLocator.Jdk jdk = JdkLocator.locate("");
        assertTrue(jdk.feature() >= 21, jdk.toString());
    }
}
