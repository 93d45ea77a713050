package io.moezoo.onnx.zoo;

import ai.djl.repository.zoo.Criteria;
import ai.djl.translate.TranslatorFactory;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.moezoo.zoo.ZooCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Criteria that load an exported zoo model ({@link ZooExport#exportArtifact}) with DJL's
 * OnnxRuntime engine and the same translator as the PyTorch path: the translator factory comes from
 * the zoo's catalog (code, by artifact id), the translator arguments from the exported directory
 * (values only; entries naming code are refused).
 */
public final class OnnxCriteria {

    private OnnxCriteria() {}

    /**
     * Returns a criteria builder for a zoo artifact, exported on demand into the DJL cache ({@link
     * OnnxCache}; sparse dispatch).
     *
     * @param artifactId the zoo artifact
     * @param input the input type
     * @param output the output type
     * @param <I> the input type
     * @param <O> the output type
     * @return the builder
     * @throws IOException if the artifact or the cache cannot be read or written
     * @throws ai.djl.repository.zoo.ModelNotFoundException if the zoo has no such artifact
     * @throws ai.djl.MalformedModelException if the artifact is malformed
     */
    public static <I, O> Criteria.Builder<I, O> builder(
            String artifactId, Class<I> input, Class<O> output)
            throws IOException,
                    ai.djl.repository.zoo.ModelNotFoundException,
                    ai.djl.MalformedModelException {
        Path dir = OnnxCache.ensure(artifactId, io.moezoo.onnx.moe.DispatchMode.SPARSE);
        return builder(artifactId, input, output, dir);
    }

    /**
     * Returns a criteria builder for an exported artifact.
     *
     * @param artifactId the zoo artifact the directory was exported from
     * @param input the input type
     * @param output the output type
     * @param dir the exported directory
     * @param <I> the input type
     * @param <O> the output type
     * @return the builder (add {@code optArgument} calls to override arguments)
     * @throws IOException if the directory's arguments cannot be read
     * @throws IllegalArgumentException if the zoo has no such artifact
     */
    public static <I, O> Criteria.Builder<I, O> builder(
            String artifactId, Class<I> input, Class<O> output, Path dir) throws IOException {
        return builder(artifactId, null, input, output, dir);
    }

    /**
     * Returns a criteria builder for an exported artifact with a given translator factory.
     *
     * @param artifactId the zoo artifact the directory was exported from
     * @param translatorFactory the translator factory, or null for the one the zoo's catalog
     *     registers for the artifact; a language model's factory is wrapped in a {@link
     *     CachePrimingTranslatorFactory} either way
     * @param input the input type
     * @param output the output type
     * @param dir the exported directory
     * @param <I> the input type
     * @param <O> the output type
     * @return the builder
     * @throws IOException if the directory's arguments cannot be read or name code
     * @throws IllegalArgumentException if the zoo has no such artifact
     */
    static <I, O> Criteria.Builder<I, O> builder(
            String artifactId,
            TranslatorFactory translatorFactory,
            Class<I> input,
            Class<O> output,
            Path dir)
            throws IOException {
        ZooCatalog.Entry entry = ZooCatalog.entry(artifactId);
        TranslatorFactory factory =
                translatorFactory != null ? translatorFactory : entry.code().newTranslatorFactory();
        if ("language".equals(entry.family())) {
            factory = new CachePrimingTranslatorFactory(factory);
        }
        Criteria.Builder<I, O> builder =
                Criteria.builder()
                        .setTypes(input, output)
                        .optModelPath(dir)
                        .optModelName("model")
                        .optEngine("OnnxRuntime")
                        .optTranslatorFactory(factory);
        Path arguments = dir.resolve(ZooExport.ARGUMENTS_FILE);
        if (Files.isRegularFile(arguments)) {
            JsonObject json =
                    JsonParser.parseString(Files.readString(arguments, StandardCharsets.UTF_8))
                            .getAsJsonObject();
            for (String key : json.keySet()) {
                if (key.equals("blockFactory") || key.equals("translatorFactory")) {
                    throw new IOException(
                            arguments
                                    + ": '"
                                    + key
                                    + "' names code; repository data never chooses code");
                }
                JsonElement value = json.get(key);
                builder.optArgument(key, value.getAsString());
            }
        }
        return builder;
    }
}
