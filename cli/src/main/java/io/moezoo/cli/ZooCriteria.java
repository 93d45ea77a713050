package io.moezoo.cli;

import ai.djl.repository.zoo.Criteria;
import io.moezoo.zoo.MoeModelZoo;

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
}
