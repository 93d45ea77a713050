package io.moezoo.zoo.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.modality.Classifications;
import ai.djl.modality.cv.Image;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelZoo;
import io.moezoo.zoo.MoeModelZoo;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The zoo without moe-zoo-onnx on the class path (this module's tests). */
class ZooEnginesTest {

    @Test
    void pytorchIsDeclaredLastAndOnnxRuntimeIsDeclaredForItsModule() {
        List<String> engines = List.copyOf(ZooEngines.supportedEngines());
        assertEquals(ZooEngines.PYTORCH, engines.get(engines.size() - 1), engines.toString());
        assertTrue(engines.contains(ZooEngines.ONNX_RUNTIME), engines.toString());
        assertEquals(
                ZooEngines.supportedEngines(),
                ModelZoo.getModelZoo(MoeModelZoo.GROUP_ID).getSupportedEngines());
        assertTrue(ZooEngines.providers().isEmpty(), ZooEngines.providers().toString());
    }

    @Test
    void onnxRuntimeWithoutTheOnnxModuleNamesTheArtifactToAdd() {
        Criteria<Image, Classifications> criteria =
                Criteria.builder()
                        .setTypes(Image.class, Classifications.class)
                        .optGroupId(MoeModelZoo.GROUP_ID)
                        .optArtifactId("vit-moe-fashion-mnist")
                        .optEngine("OnnxRuntime")
                        .build();
        ZooEngineUnavailableException e =
                assertThrows(ZooEngineUnavailableException.class, criteria::loadModel);
        assertEquals("OnnxRuntime", e.getEngine());
        assertEquals("io.moezoo:moe-zoo-onnx", e.getMissingArtifact());
        assertTrue(e.getMessage().contains("vit-moe-fashion-mnist"), e.getMessage());
        assertTrue(e.getMessage().contains("io.moezoo:moe-zoo-onnx"), e.getMessage());
        assertTrue(
                e.getMessage().contains("ai.djl.onnxruntime:onnxruntime-engine"), e.getMessage());
    }

    @Test
    void anEngineWithoutAModuleIsNamed() {
        Criteria<Image, Classifications> criteria =
                Criteria.builder()
                        .setTypes(Image.class, Classifications.class)
                        .optGroupId(MoeModelZoo.GROUP_ID)
                        .optArtifactId("vit-moe-fashion-mnist")
                        .optEngine("TensorFlow")
                        .build();
        ZooEngineUnavailableException e =
                assertThrows(
                        ZooEngineUnavailableException.class,
                        () ->
                                new MoeModelZoo()
                                        .loader("vit-moe-fashion-mnist")
                                        .loadModel(criteria));
        assertNull(e.getMissingArtifact());
        assertTrue(e.getMessage().contains("TensorFlow"), e.getMessage());
        assertTrue(e.getMessage().contains(ZooEngines.PYTORCH), e.getMessage());
    }
}
