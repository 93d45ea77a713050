package io.moezoo.recipes.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.moezoo.models.vision.VisionMoeBlockFactory;
import io.moezoo.models.vision.VisionMoeSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The card's descriptions of the routing rule and the auxiliary losses. */
class ModelCardTest {

    private static final Path ARTIFACT = VisionArtifactTest.ARTIFACT;

    @Test
    void shippedCardDescribesItsRouterAndLossesInTheseWords() throws Exception {
        // The shipped README was written before the descriptions became methods: the same words.
        VisionMoeSpec spec = VisionMoeBlockFactory.readSpec(ARTIFACT.resolve("model.json"));
        String readme = Files.readString(ARTIFACT.resolve("README.md"), StandardCharsets.UTF_8);
        String router = ModelCard.routerDescription(spec.router());
        assertTrue(
                router.startsWith("CAPACITY_TOP_K: softmax gates, top-2,")
                        && router.contains("capacity factor 1.05")
                        && router.contains("multiple of 4"),
                router);
        assertTrue(readme.contains("router " + router + " Each image is one routing group"));
        assertTrue(readme.contains("- " + ModelCard.auxLossDescription(spec) + "\n"));
    }

    @Test
    void expertChoiceIsDescribedWithItsCapacityAndNoLosses() {
        VisionMoeSpec spec =
                VisionMoeTraining.moeSpec(64, 1, 2, 64, VisionMoeTraining.expertChoice(8, 2, 2));
        assertEquals(
                "EXPERT_CHOICE (Zhou et al. 2022): softmax scores over the experts, each expert"
                        + " takes the 2 tokens of the image it scores highest, combine weights ="
                        + " those scores.",
                ModelCard.routerDescription(spec.router()));
        assertEquals("Auxiliary losses: none.", ModelCard.auxLossDescription(spec));
    }
}
