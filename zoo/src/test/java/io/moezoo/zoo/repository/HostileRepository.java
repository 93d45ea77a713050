package io.moezoo.zoo.repository;

import ai.djl.Application;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.moezoo.zoo.MoeModelZoo;
import io.moezoo.zoo.ZooCatalog;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/**
 * A valid one-artifact repository served by a {@link FaultyHttpServer}, a client cache that already
 * holds other models, and a sentinel directory outside both: the stage on which each hostile
 * scenario of {@link HostileRepositoryTest} is played. An attack edits the published metadata, the
 * served files or the server's behaviour; the test then checks what the client did.
 */
final class HostileRepository implements AutoCloseable {

    static final Application APP = Application.NLP.TEXT_GENERATION;
    static final String ID = "brown-moe";
    static final String VERSION = "0.1.0";
    static final String METADATA_DIR =
            ZooRepository.metadataDirectory(APP, MoeModelZoo.GROUP_ID, ID);

    /** The system property the hostile class sets when it is initialised. */
    static final String CODE_RAN = "moezoo.test.hostileCodeRan";

    final Path root;
    final Path versionDir;
    final Path cacheRoot;
    final Path outside;
    final FaultyHttpServer server;

    HostileRepository(Path tmp) throws IOException {
        root = tmp.resolve("repo");
        versionDir = Files.createDirectories(root.resolve(METADATA_DIR).resolve(VERSION));
        Files.write(versionDir.resolve("weights.bin"), bytes(10_000, 7));
        Files.writeString(versionDir.resolve("model.json"), "{\"hello\": 1}");
        Files.writeString(
                versionDir.resolve("card.json"),
                "{\"arguments\": {\"blockFactory\": \"io.moezoo.models.language.DecoderBlockFactory\","
                        + " \"translatorFactory\":"
                        + " \"io.moezoo.translators.text.TextTranslatorFactory\"},"
                        + " \"options\": {\"hasParameter\": \"false\"}}");
        ArtifactPublisher.publish(root, APP, MoeModelZoo.GROUP_ID, ID, VERSION);

        // The client already holds an older version of this model and another model.
        cacheRoot = tmp.resolve("cache");
        Path older = Files.createDirectories(cacheRoot.resolve(METADATA_DIR).resolve("0.0.9"));
        Files.writeString(older.resolve("model.json"), "{\"older\": true}");
        Files.writeString(older.resolve(ArtifactInstall.MANIFEST), "older\n");
        Path other =
                Files.createDirectories(
                        cacheRoot.resolve(
                                ZooRepository.metadataDirectory(
                                                APP, MoeModelZoo.GROUP_ID, "brown-dense")
                                        + VERSION));
        Files.writeString(other.resolve("model.json"), "{\"other\": true}");

        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "not for the repository");
        server = new FaultyHttpServer(root);
    }

    /** The client: the zoo's loader of this model over the server, with the client cache. */
    MoeModelLoader client() {
        return new MoeModelLoader(
                ZooRepository.of(server.url()).cachedIn(cacheRoot),
                APP,
                MoeModelZoo.GROUP_ID,
                ID,
                ZooCatalog.entry(ID).code());
    }

    /** Edits the first artifact of the published metadata. */
    void editArtifact(Consumer<JsonObject> edit) throws IOException {
        editMetadata(m -> edit.accept(m.getAsJsonArray("artifacts").get(0).getAsJsonObject()));
    }

    /** Edits the published metadata. */
    void editMetadata(Consumer<JsonObject> edit) throws IOException {
        Path file = metadataFile();
        JsonObject metadata = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        edit.accept(metadata);
        Files.writeString(
                file, new GsonBuilder().setPrettyPrinting().create().toJson(metadata) + "\n");
    }

    /** Sets an argument of the artifact. */
    void setArgument(String key, String value) throws IOException {
        editArtifact(a -> a.getAsJsonObject("arguments").addProperty(key, value));
    }

    /** Edits the metadata item of one file (weights_bin, model_json, card_json). */
    void editFile(String key, Consumer<JsonObject> edit) throws IOException {
        editArtifact(a -> edit.accept(a.getAsJsonObject("files").getAsJsonObject(key)));
    }

    /**
     * Adds a file to the artifact: serves {@code content} at {@code uri} and lists it in the
     * metadata with its true sha1 and size, as a hostile publisher would.
     */
    void listFile(String uri, String name, byte[] content) throws IOException {
        Path file = versionDir.resolve(uri).normalize();
        if (file.startsWith(versionDir)) {
            Files.createDirectories(file.getParent());
            Files.write(file, content);
        }
        JsonObject item = new JsonObject();
        item.addProperty("uri", uri);
        item.addProperty("name", name);
        item.addProperty("sha1Hash", sha1(content));
        item.addProperty("size", content.length);
        item.addProperty("type", "file");
        editArtifact(a -> a.getAsJsonObject("files").add(name.replace('.', '_') + "_x", item));
    }

    Path metadataFile() {
        return root.resolve(METADATA_DIR).resolve("metadata.json");
    }

    /** The served path of a file of the artifact. */
    static String path(String file) {
        return "/" + METADATA_DIR + VERSION + "/" + file;
    }

    /**
     * Everything under the client cache and the sentinel directory: relative path to size and sha1,
     * so that any added, removed or changed file shows.
     */
    Map<String, String> snapshot() throws IOException {
        Map<String, String> state = new TreeMap<>();
        for (Path base : new Path[] {cacheRoot, outside}) {
            try (Stream<Path> walk = Files.walk(base)) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    String key = base.getFileName() + "/" + base.relativize(p);
                    state.put(
                            key,
                            Files.isRegularFile(p)
                                    ? Files.size(p) + " " + sha1(Files.readAllBytes(p))
                                    : "dir");
                }
            }
        }
        return state;
    }

    @Override
    public void close() {
        server.close();
    }

    /** {@code n} pseudo-random bytes. */
    static byte[] bytes(int n, int seed) {
        byte[] b = new byte[n];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    static String sha1(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hostileClass;

    /**
     * The hostile class file, compiled on first use: {@code evil.Evil}, whose static initialiser
     * records that it ran by setting {@link #CODE_RAN}.
     *
     * @return the class file's bytes
     */
    static synchronized byte[] hostileClass() {
        if (hostileClass == null) {
            try {
                Path dir = Files.createTempDirectory("hostile-class");
                hostileClass = compileHostileClass(dir);
                ai.djl.util.Utils.deleteQuietly(dir);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return hostileClass.clone();
    }

    private static byte[] compileHostileClass(Path dir) throws IOException {
        Path source = Files.createDirectories(dir.resolve("src/evil")).resolve("Evil.java");
        Files.writeString(
                source,
                "package evil;\n"
                        + "public class Evil {\n"
                        + "    static { System.setProperty(\""
                        + CODE_RAN
                        + "\", \"true\"); }\n"
                        + "    public Evil() {}\n"
                        + "}\n");
        Path classes = Files.createDirectories(dir.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        int status =
                javac.run(null, null, null, "-d", classes.toString(), "-nowarn", source.toString());
        if (status != 0) {
            throw new IOException("javac failed: " + status);
        }
        return Files.readAllBytes(classes.resolve("evil/Evil.class"));
    }

    /** A jar holding {@code evil/Evil.class}. */
    static byte[] jar(byte[] classFile) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes)) {
            jar.putNextEntry(new JarEntry("evil/Evil.class"));
            jar.write(classFile);
            jar.closeEntry();
        }
        return bytes.toByteArray();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
