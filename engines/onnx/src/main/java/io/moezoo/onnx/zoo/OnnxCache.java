package io.moezoo.onnx.zoo;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.translate.NoopTranslator;
import ai.djl.util.Utils;
import io.moezoo.onnx.moe.DispatchMode;
import io.moezoo.zoo.MoeModelZoo;
import io.moezoo.zoo.engine.PreparedArtifact;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * Exports zoo artifacts on demand into the DJL cache ({@code <cache>/moezoo-onnx/<id>/<key>}),
 * keyed by the artifact's local directory and its files' names and sizes, so a retrained artifact
 * (a new version or new weights) gets a new export and an unchanged one is exported once.
 */
public final class OnnxCache {

    private OnnxCache() {}

    /**
     * Returns the ONNX directory of an artifact, exporting it first if the cache has none.
     *
     * @param artifactId the zoo artifact
     * @param dispatch how MoE layers run their experts
     * @return the exported directory
     * @throws IOException if the artifact or the cache cannot be read or written
     * @throws ModelNotFoundException if the zoo has no such artifact
     * @throws MalformedModelException if the artifact is malformed
     */
    public static Path ensure(String artifactId, DispatchMode dispatch)
            throws IOException, ModelNotFoundException, MalformedModelException {
        Criteria<NDList, NDList> criteria =
                Criteria.builder()
                        .setTypes(NDList.class, NDList.class)
                        .optGroupId(MoeModelZoo.GROUP_ID)
                        .optArtifactId(artifactId)
                        .optTranslator(new NoopTranslator())
                        .build();
        Path artifact = new MoeModelZoo().loader(artifactId).prepare(criteria, null);
        return ensure(
                artifactId,
                artifact,
                dispatch,
                staging -> ZooExport.exportArtifact(artifactId, staging, dispatch));
    }

    /**
     * Returns the ONNX directory of an artifact the zoo has prepared (as it hands it to {@link
     * OnnxZooEngineProvider}), exporting it first if the cache has none.
     *
     * @param artifact the prepared artifact
     * @param dispatch how MoE layers run their experts
     * @return the exported directory
     * @throws IOException if the artifact or the cache cannot be read or written
     */
    public static Path ensure(PreparedArtifact artifact, DispatchMode dispatch) throws IOException {
        try {
            return ensure(
                    artifact.artifactId(),
                    artifact.directory(),
                    dispatch,
                    staging -> ZooExport.exportPrepared(artifact, staging, dispatch));
        } catch (ModelNotFoundException | MalformedModelException e) {
            throw new IOException(artifact.artifactId() + ": " + e.getMessage(), e);
        }
    }

    /** Writes one export into a staging directory. */
    private interface Export {
        void into(Path staging) throws IOException, ModelNotFoundException, MalformedModelException;
    }

    private static Path ensure(
            String artifactId, Path artifact, DispatchMode dispatch, Export export)
            throws IOException, ModelNotFoundException, MalformedModelException {
        Path dir =
                Utils.getCacheDir()
                        .resolve("moezoo-onnx")
                        .resolve(artifactId)
                        .resolve(
                                key(artifact)
                                        + "-"
                                        + dispatch.name().toLowerCase(java.util.Locale.ROOT));
        if (Files.isRegularFile(dir.resolve(ZooExport.MODEL_FILE))) {
            return dir;
        }
        Files.createDirectories(dir.getParent());
        Path staging = Files.createTempDirectory(dir.getParent(), ".export-");
        try {
            export.into(staging);
            try {
                Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(staging, dir);
            }
        } catch (java.nio.file.FileAlreadyExistsException
                | java.nio.file.DirectoryNotEmptyException e) {
            // Another process exported the same artifact meanwhile: use its copy.
        } finally {
            deleteTree(staging);
        }
        return dir;
    }

    private static String key(Path artifact) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(artifact.toAbsolutePath().toString().getBytes(StandardCharsets.UTF_8));
            try (Stream<Path> files = Files.list(artifact)) {
                for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                    if (Files.isRegularFile(f)) {
                        String entry = f.getFileName() + ":" + Files.size(f) + ";";
                        sha.update(entry.getBytes(StandardCharsets.UTF_8));
                    }
                }
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p :
                    (Iterable<Path>) walk.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
