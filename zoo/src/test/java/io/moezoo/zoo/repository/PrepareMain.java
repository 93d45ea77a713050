package io.moezoo.zoo.repository;

import ai.djl.repository.zoo.Criteria;
import io.moezoo.translators.text.SequenceScore;
import java.nio.file.Paths;

/** Prepares the test artifact of {@link HostileRepository} in a process of its own. */
public final class PrepareMain {

    private PrepareMain() {}

    /**
     * Downloads the artifact.
     *
     * @param args the repository URL and the cache root
     * @throws Exception if the download fails
     */
    public static void main(String[] args) throws Exception {
        new MoeModelLoader(
                        ZooRepository.of(args[0]).cachedIn(Paths.get(args[1])),
                        HostileRepository.APP,
                        io.moezoo.zoo.MoeModelZoo.GROUP_ID,
                        HostileRepository.ID,
                        io.moezoo.zoo.ZooCatalog.entry(HostileRepository.ID).code())
                .prepare(
                        Criteria.builder().setTypes(String.class, SequenceScore.class).build(),
                        null);
    }
}
