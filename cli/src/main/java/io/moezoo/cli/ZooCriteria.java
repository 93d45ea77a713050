package io.moezoo.cli;

import ai.djl.repository.zoo.Criteria;
import io.moezoo.zoo.MoeModelZoo;
import io.moezoo.zoo.ZooCatalog;
import java.util.List;

/** The {@code Criteria} every command uses to load a zoo model by id, with a download bar. */
final class ZooCriteria {

    private ZooCriteria() {}

    /**
     * Starts the criteria of a zoo model.
     *
     * @param artifactId the zoo model id
     * @param input the input type
     * @param output the output type
     * @param <I> the input type
     * @param <O> the output type
     * @return a builder to add arguments to
     */
    static <I, O> Criteria.Builder<I, O> of(String artifactId, Class<I> input, Class<O> output) {
        return Criteria.builder()
                .setTypes(input, output)
                .optGroupId(MoeModelZoo.GROUP_ID)
                .optArtifactId(artifactId)
                .optProgress(TerminalProgress.forConsole());
    }

    /**
     * Checks, before anything is loaded, that an id names a zoo model of a family.
     *
     * @param artifactId the id given on the command line
     * @param family the family the command needs ({@code language}, {@code vision}, {@code
     *     time-series}, {@code reward})
     * @throws IllegalArgumentException naming the id and listing the family's models
     */
    static void requireModel(String artifactId, String family) {
        List<String> models =
                ZooCatalog.entries().stream()
                        .filter(e -> e.family().equals(family))
                        .map(ZooCatalog.Entry::artifactId)
                        .toList();
        if (models.contains(artifactId)) {
            return;
        }
        String kind = family.equals("language") ? "a checkpoint directory nor a zoo model" : null;
        String found =
                ZooCatalog.entries().stream()
                        .filter(e -> e.artifactId().equals(artifactId))
                        .map(
                                e ->
                                        artifactId
                                                + " is a "
                                                + e.family()
                                                + " model, not a "
                                                + family
                                                + " model")
                        .findFirst()
                        .orElse(
                                kind == null
                                        ? "no zoo model '" + artifactId + "'"
                                        : artifactId + " is neither " + kind);
        throw new IllegalArgumentException(
                FailureMessage.oneLine(found + "; zoo " + family + " models: " + models));
    }
}
