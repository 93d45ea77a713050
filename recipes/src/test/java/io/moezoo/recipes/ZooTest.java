package io.moezoo.recipes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.inference.Predictor;
import ai.djl.repository.Artifact;
import ai.djl.repository.Metadata;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelZoo;
import ai.djl.repository.zoo.ZooModel;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.moezoo.translators.text.SequenceScore;
import io.moezoo.zoo.MoeModelZoo;
import io.moezoo.zoo.ZooCatalog;
import io.moezoo.zoo.repository.FaultyHttpServer;
import io.moezoo.zoo.repository.MoeModelLoader;
import io.moezoo.zoo.repository.ZooRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every model of the catalog: registered with DJL, its metadata valid and within the size caps,
 * loadable by {@code Criteria} from the embedded repository and from the same repository served
 * over loopback HTTP, with identical predictions.
 */
class ZooTest {

    private static final long ARTIFACT_CAP = 16L << 20;
    private static final long TOTAL_CAP = 60L << 20;

    @TempDir Path tmp;

    @Test
    void theZooIsRegisteredThroughServiceLoader() {
        ModelZoo zoo = ModelZoo.getModelZoo(MoeModelZoo.GROUP_ID);
        assertNotNull(zoo, "io.moezoo not registered");
        assertEquals(
                ZooCatalog.artifactIds().size(), zoo.getModelLoaders().size(), "loaders per entry");
        for (String id : ZooCatalog.artifactIds()) {
            assertNotNull(zoo.getModelLoader(id), id);
        }
    }

    @Test
    void metadataCardsAndSizesAreValid() throws Exception {
        MoeModelZoo zoo = new MoeModelZoo(ZooRepository.embedded().cachedIn(tmp));
        long total = 0;
        for (ZooCatalog.Entry entry : ZooCatalog.entries()) {
            MoeModelLoader loader = zoo.loader(entry.artifactId());
            Metadata metadata = loader.metadata();
            assertEquals(entry.application().getPath(), metadata.getApplication().getPath());
            assertEquals(MoeModelZoo.GROUP_ID, metadata.getGroupId());
            for (Artifact artifact : metadata.getArtifacts()) {
                long size = 0;
                for (Artifact.Item item : artifact.getFiles().values()) {
                    size += item.getSize();
                }
                assertTrue(size <= ARTIFACT_CAP, entry.artifactId() + " is " + size + " bytes");
                total += size;
                assertNotNull(artifact.getArguments().get("blockFactory"));
                assertNotNull(artifact.getArguments().get("translatorFactory"));
            }
            JsonObject card = JsonParser.parseString(loader.card()).getAsJsonObject();
            for (String field :
                    new String[] {
                        "metrics",
                        "tolerance",
                        "data",
                        "recipe",
                        "seed",
                        "totalParameters",
                        "activatedParameters",
                        "command"
                    }) {
                assertTrue(card.has(field), entry.artifactId() + " card lacks " + field);
            }
            for (String metric : card.getAsJsonObject("metrics").keySet()) {
                if (card.getAsJsonObject("metrics").get(metric).isJsonPrimitive()) {
                    assertTrue(
                            card.getAsJsonObject("tolerance").has(metric)
                                    || !card.getAsJsonObject("metrics")
                                            .get(metric)
                                            .getAsJsonPrimitive()
                                            .isNumber(),
                            entry.artifactId() + ": metric " + metric + " has no tolerance");
                }
            }
        }
        assertTrue(total <= TOTAL_CAP, "all artifacts: " + total + " bytes");
    }

    @Test
    void everyModelLoadsFromTheEmbeddedRepositoryAndOverHttp() throws Exception {
        // The served copy: the weights module's sources (on the class path they are inside a jar).
        Path embeddedRoot =
                Paths.get("..", "zoo-weights", "src", "main", "resources")
                        .resolve(ZooRepository.EMBEDDED_ROOT);
        assertTrue(
                Files.isRegularFile(embeddedRoot.resolve(ZooRepository.MARKER)), "" + embeddedRoot);
        try (FaultyHttpServer server = new FaultyHttpServer(embeddedRoot)) {
            MoeModelZoo embedded =
                    new MoeModelZoo(ZooRepository.embedded().cachedIn(tmp.resolve("embedded")));
            MoeModelZoo http =
                    new MoeModelZoo(ZooRepository.of(server.url()).cachedIn(tmp.resolve("http")));
            for (ZooCatalog.Entry entry : ZooCatalog.entries()) {
                Object a = ZooSamples.predict(embedded, entry);
                Object b = ZooSamples.predict(http, entry);
                ZooSamples.assertSame(entry, a, b);
                assertTrue(
                        Files.isDirectory(
                                tmp.resolve("http")
                                        .resolve(
                                                http.loader(entry.artifactId())
                                                        .metadataDirectory())),
                        entry.artifactId() + " was downloaded over HTTP");
            }
            assertTrue(server.requests() > 0);
        }
    }

    /**
     * Loads a zoo model by Criteria, predicts once and extracts what to compare while the predictor
     * (which owns the output's arrays) is still open.
     */
    static <I, O, R> R predictOnce(
            MoeModelZoo zoo,
            String id,
            Class<I> in,
            Class<O> out,
            I input,
            java.util.function.Function<O, R> extract)
            throws Exception {
        Criteria<I, O> criteria =
                Criteria.builder().setTypes(in, out).optModelZoo(zoo).optArtifactId(id).build();
        try (ZooModel<I, O> model = criteria.loadModel();
                Predictor<I, O> predictor = model.newPredictor()) {
            return extract.apply(predictor.predict(input));
        }
    }

    static SequenceScore score(MoeModelZoo zoo, String id, String text) throws Exception {
        return predictOnce(zoo, id, String.class, SequenceScore.class, text, s -> s);
    }
}
