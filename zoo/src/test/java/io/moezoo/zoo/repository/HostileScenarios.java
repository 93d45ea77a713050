package io.moezoo.zoo.repository;

import static io.moezoo.zoo.repository.HostileRepository.bytes;
import static io.moezoo.zoo.repository.HostileRepository.hostileClass;
import static io.moezoo.zoo.repository.HostileRepository.jar;
import static io.moezoo.zoo.repository.HostileRepository.path;
import static io.moezoo.zoo.repository.HostileRepository.utf8;
import static io.moezoo.zoo.repository.TestArchives.Entry.file;

import java.util.ArrayList;
import java.util.List;

/**
 * The attacks {@link HostileRepositoryTest} plays against the zoo client, each with the fragments
 * its refusal must name: code in artifacts, archive bombs and malformed archives, slow, stalling
 * and redirecting servers, corrupt downloads and metadata, and traversal in versions, names and
 * URIs.
 */
final class HostileScenarios {

    private HostileScenarios() {}

    /** One attack on the repository, applied before the client runs. */
    interface Attack {
        void apply(HostileRepository repo) throws Exception;
    }

    /**
     * A scenario: what the attacker does and what the error must say.
     *
     * @param name the scenario
     * @param attack the attack
     * @param expected fragments of the error message (besides the URL)
     */
    record Scenario(String name, Attack attack, List<String> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Scenario scenario(String name, Attack attack, String... expected) {
        return new Scenario(name, attack, List.of(expected));
    }

    static List<Scenario> all() {
        List<Scenario> all = new ArrayList<>();
        all.addAll(code());
        all.addAll(archives());
        all.addAll(transfers());
        all.addAll(names());
        return all;
    }

    private static List<Scenario> code() {
        return List.of(
                scenario(
                        "jar named as the block factory",
                        r -> {
                            r.listFile("evil.jar", "evil.jar", jar(hostileClass()));
                            r.setArgument("blockFactory", "evil.Evil");
                        },
                        "Java code"),
                scenario(
                        "class file in the artifact",
                        r -> r.listFile("Evil.class", "Evil.class", hostileClass()),
                        "Java code"),
                scenario(
                        "class file under classes/",
                        r -> r.listFile("classes/evil/Evil.class", "data.bin", hostileClass()),
                        "class path"),
                scenario(
                        "block factory names a class of the repository",
                        r -> r.setArgument("blockFactory", "evil.Evil"),
                        "repository data never chooses code"),
                scenario(
                        "translator factory names a class of the repository",
                        r -> r.setArgument("translatorFactory", "evil.Evil"),
                        "repository data never chooses code"),
                scenario(
                        "block factory names a JDK class",
                        r -> r.setArgument("blockFactory", "java.lang.Runtime"),
                        "repository data never chooses code"),
                scenario(
                        "zip holding classes/",
                        r ->
                                r.listFile(
                                        "code.zip",
                                        "code.zip",
                                        TestArchives.zip(
                                                file("classes/evil/Evil.class", hostileClass()))),
                        "class path"),
                scenario(
                        "zip holding a jar",
                        r ->
                                r.listFile(
                                        "code.zip",
                                        "code.zip",
                                        TestArchives.zip(file("evil.jar", jar(hostileClass())))),
                        "Java code"),
                scenario(
                        "tar.gz holding a class file",
                        r ->
                                r.listFile(
                                        "code.tar.gz",
                                        "code.tar.gz",
                                        TestArchives.gzip(
                                                TestArchives.tar(
                                                        file("evil/Evil.class", hostileClass())))),
                        "Java code"),
                scenario(
                        "serving.properties choosing a translator",
                        r ->
                                r.listFile(
                                        "serving.properties",
                                        "serving.properties",
                                        utf8("translatorFactory=evil.Evil\n")),
                        "serving.properties"),
                scenario(
                        "zip holding serving.properties",
                        r ->
                                r.listFile(
                                        "conf.zip",
                                        "conf.zip",
                                        TestArchives.zip(
                                                file("serving.properties", "engine=Evil"))),
                        "serving.properties"),
                scenario(
                        "native library",
                        r -> r.listFile("libevil.so", "libevil.so", bytes(64, 1)),
                        "native library"));
    }

    private static List<Scenario> archives() {
        return List.of(
                scenario(
                        "zip bomb",
                        r ->
                                r.listFile(
                                        "bomb.zip",
                                        "bomb.zip",
                                        TestArchives.zip(file("zeros.bin", new byte[50 << 20]))),
                        "archive bomb"),
                scenario(
                        "tar.gz bomb",
                        r ->
                                r.listFile(
                                        "bomb.tar.gz",
                                        "bomb.tar.gz",
                                        TestArchives.gzip(
                                                TestArchives.tar(
                                                        file("zeros.bin", new byte[50 << 20])))),
                        "archive bomb"),
                scenario(
                        "zip with more entries than allowed",
                        r -> {
                            TestArchives.Entry[] many = new TestArchives.Entry[10_001];
                            for (int i = 0; i < many.length; i++) {
                                many[i] = file("f" + i + ".txt", "");
                            }
                            r.listFile("many.zip", "many.zip", TestArchives.zip(many));
                        },
                        "more than 10000 entries"),
                scenario(
                        "zip entry climbing out",
                        r ->
                                r.listFile(
                                        "up.zip",
                                        "up.zip",
                                        TestArchives.zip(file("../../escaped.txt", "x"))),
                        "escapes the target directory"),
                scenario(
                        "zip entry with an absolute path",
                        r ->
                                r.listFile(
                                        "abs.zip",
                                        "abs.zip",
                                        TestArchives.zip(file("/tmp/moezoo-abs.txt", "x"))),
                        "absolute path"),
                scenario(
                        "tar symbolic link",
                        r ->
                                r.listFile(
                                        "link.tar",
                                        "link.tar",
                                        TestArchives.tar(
                                                new TestArchives.Entry(
                                                        "passwd", '2', utf8("/etc/passwd")))),
                        "link or device"),
                scenario(
                        "zip repeating an entry",
                        r ->
                                r.listFile(
                                        "twice.zip",
                                        "twice.zip",
                                        TestArchives.zipWithRepeatedName("model.bin")),
                        "repeated"),
                scenario(
                        "truncated tar.gz with a matching sha1",
                        r -> {
                            byte[] tgz =
                                    TestArchives.gzip(
                                            TestArchives.tar(file("w.bin", bytes(100_000, 3))));
                            r.listFile(
                                    "cut.tar.gz",
                                    "cut.tar.gz",
                                    java.util.Arrays.copyOf(tgz, tgz.length / 2));
                        },
                        "corrupt archive"));
    }

    private static List<Scenario> transfers() {
        return List.of(
                scenario(
                        "body trickling one byte every 200 ms",
                        r -> r.server.trickle("weights.bin", 200),
                        "weights.bin",
                        "slower than"),
                scenario(
                        "metadata trickling one byte every 200 ms",
                        r -> r.server.trickle("metadata.json", 200),
                        "metadata.json",
                        "slower than"),
                scenario(
                        "server stalling after the headers",
                        r -> r.server.stallAfterHeaders("weights.bin"),
                        "weights.bin",
                        "slower than"),
                scenario(
                        "server never answering the metadata request",
                        r -> r.server.stallBeforeHeaders("metadata.json"),
                        "metadata.json"),
                scenario(
                        "body fast enough per window but past the deadline",
                        r -> r.server.trickle("weights.bin", 5),
                        "weights.bin",
                        "not finished within"),
                scenario(
                        "redirect loop",
                        r -> r.server.redirect("weights.bin", path("weights.bin")),
                        "weights.bin",
                        "redirects"),
                scenario(
                        "redirect to a local file",
                        r ->
                                r.server.redirect(
                                        "weights.bin",
                                        r.outside.resolve("secret.txt").toUri().toString()),
                        "redirect to file"),
                scenario(
                        "redirect to a remote host in offline mode",
                        r -> r.server.redirect("weights.bin", "http://example.invalid/w.bin"),
                        "offline mode"),
                scenario(
                        "artifact file missing (404)",
                        r -> r.server.failWith("weights.bin", 404),
                        "HTTP 404"),
                scenario(
                        "metadata server error (500)",
                        r -> r.server.failWith("metadata.json", 500),
                        "HTTP 500"),
                scenario(
                        "truncated body",
                        r -> r.server.truncate("weights.bin", 100),
                        "truncated download"),
                scenario(
                        "other bytes than the sha1",
                        r -> r.server.replace("weights.bin", bytes(10_000, 8)),
                        "sha1 mismatch"),
                scenario(
                        "longer body than the metadata says",
                        r -> r.server.replace("weights.bin", bytes(20_000, 7)),
                        "more than the 10000"),
                scenario(
                        "metadata over 1 MiB",
                        r -> r.server.replace("metadata.json", new byte[2 << 20]),
                        "larger than"),
                scenario(
                        "metadata nested a million deep",
                        r -> r.server.replace("metadata.json", utf8("[".repeat(1_000_000))),
                        "invalid JSON"),
                scenario(
                        "metadata that is not UTF-8",
                        r -> r.server.replace("metadata.json", new byte[] {'{', (byte) 0xC3, '}'}),
                        "UTF-8"),
                scenario(
                        "metadata with files as a string",
                        r -> r.editArtifact(a -> a.addProperty("files", "weights.bin")),
                        "invalid JSON"));
    }

    private static List<Scenario> names() {
        return List.of(
                scenario(
                        "version ..",
                        r -> r.editArtifact(a -> a.addProperty("version", "..")),
                        "not a plain name"),
                scenario(
                        "version .",
                        r -> r.editArtifact(a -> a.addProperty("version", ".")),
                        "not a plain name"),
                scenario(
                        "version climbing into another model",
                        r ->
                                r.editArtifact(
                                        a -> a.addProperty("version", "0.1.0/../../brown-dense")),
                        "not a plain name"),
                scenario(
                        "version with backslashes",
                        r -> r.editArtifact(a -> a.addProperty("version", "..\\..\\x")),
                        "not a plain name"),
                scenario(
                        "file name climbing out",
                        r -> r.editFile("model_json", f -> f.addProperty("name", "../x.json")),
                        "unsafe name"),
                scenario(
                        "absolute file name",
                        r -> r.editFile("model_json", f -> f.addProperty("name", "/etc/passwd")),
                        "unsafe name"),
                scenario(
                        "file: uri of a system file",
                        r ->
                                r.editFile(
                                        "model_json",
                                        f -> f.addProperty("uri", "file:///etc/passwd")),
                        "not a path relative"),
                scenario(
                        "file: uri of a device",
                        r ->
                                r.editFile(
                                        "weights_bin",
                                        f -> f.addProperty("uri", "file:///dev/zero")),
                        "not a path relative"),
                scenario(
                        "absolute http uri",
                        r ->
                                r.editFile(
                                        "model_json",
                                        f -> f.addProperty("uri", r.server.url() + "x.json")),
                        "not a path relative"),
                scenario(
                        "percent-escaped traversal",
                        r ->
                                r.editFile(
                                        "model_json",
                                        f -> f.addProperty("uri", "%2e%2e/%2e%2e/metadata.json")),
                        "not a path relative"),
                scenario(
                        "absolute path uri",
                        r -> r.editFile("model_json", f -> f.addProperty("uri", "/etc/passwd")),
                        "not a path relative"),
                scenario(
                        "uri climbing into another model",
                        r ->
                                r.editFile(
                                        "model_json",
                                        f -> f.addProperty("uri", "../../brown-dense/0.1.0/x")),
                        "not a path relative"),
                scenario(
                        "artifact name with traversal",
                        r -> r.editArtifact(a -> a.addProperty("name", "../../evil")),
                        "artifact name"),
                scenario(
                        "engine option from the repository",
                        r ->
                                r.editArtifact(
                                        a ->
                                                a.getAsJsonObject("options")
                                                        .addProperty("extraFiles", "/etc/passwd")),
                        "not accepted from a repository"),
                scenario(
                        "engine argument from the repository",
                        r -> r.setArgument("engine", "OnnxRuntime"),
                        "argument 'engine' is not accepted"),
                scenario(
                        "metadata of another artifact",
                        r -> r.editMetadata(m -> m.addProperty("artifactId", "other")),
                        "expected brown-moe"));
    }
}
