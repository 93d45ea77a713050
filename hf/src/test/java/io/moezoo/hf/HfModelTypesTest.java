package io.moezoo.hf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The registry of Hugging Face model types: every registered type has a parity fixture. */
class HfModelTypesTest {

    @Test
    void everyRegisteredTypeHasAParityFixtureAndEveryFixtureARegisteredType() throws IOException {
        Set<String> fixtures = new TreeSet<>();
        try (Stream<Path> dirs = Files.list(Paths.get("src", "test", "resources", "fixtures"))) {
            for (Path dir : dirs.toList()) {
                Path config = dir.resolve("config.json");
                if (Files.isRegularFile(config)) {
                    fixtures.add(
                            JsonParser.parseString(Files.readString(config))
                                    .getAsJsonObject()
                                    .get("model_type")
                                    .getAsString());
                }
            }
        }
        assertEquals(new TreeSet<>(HfModelTypes.names()), fixtures);
        assertEquals(HfModelTypes.names(), HfConfigMapper.SUPPORTED);
    }

    @Test
    void expertNamesFollowEachTypesCheckpoints() {
        assertEquals(ExpertNames.MIXTRAL, HfModelTypes.expertNames("mixtral"));
        assertEquals(ExpertNames.JETMOE, HfModelTypes.expertNames("jetmoe"));
        assertEquals(ExpertNames.HUGGING_FACE, HfModelTypes.expertNames("olmoe"));
        assertEquals(ExpertNames.HUGGING_FACE, HfModelTypes.expertNames("brown-moe"));
        assertTrue(HfModelTypes.expertNames("jetmoe").fused());
        assertEquals(ExpertNames.GRANITE, HfModelTypes.expertNames("granitemoe"));
        assertEquals(List.of("block_sparse_moe."), ExpertNames.GRANITE.blocks());
    }

    @Test
    void mixtralsBlockIsMlpOnlyWhenItsRouterIsThere() {
        String p = "model.layers.0.";
        assertEquals(
                p + "mlp.", ExpertNames.MIXTRAL.block(p, k -> k.equals(p + "mlp.gate.weight")));
        assertEquals(
                p + "block_sparse_moe.",
                ExpertNames.MIXTRAL.block(p, k -> k.equals(p + "block_sparse_moe.gate.weight")));
        assertEquals(p + "block_sparse_moe.", ExpertNames.MIXTRAL.block(p, k -> false));
        assertEquals(p + "mlp.", ExpertNames.HUGGING_FACE.block(p, k -> false));
    }

    @Test
    void expertCountFieldsAreTheConfigClassesOwn() {
        assertEquals(
                List.of(
                        "num_local_experts",
                        "num_experts",
                        "num_experts",
                        "num_experts",
                        "n_routed_experts",
                        "n_routed_experts",
                        "num_local_experts",
                        "num_local_experts",
                        "n_routed_experts",
                        "num_local_experts"),
                HfModelTypes.names().stream()
                        .map(n -> HfModelTypes.find(n).orElseThrow().expertCountField())
                        .toList());
    }
}
