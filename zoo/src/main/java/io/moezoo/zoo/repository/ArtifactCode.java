package io.moezoo.zoo.repository;

import ai.djl.nn.BlockFactory;
import ai.djl.translate.TranslatorFactory;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The code that runs one zoo model: its block factory and its translator factory, chosen by the
 * project's own code (the zoo catalog), never by repository data.
 *
 * <p>A repository's {@code metadata.json} may still name the two classes in its {@code arguments}
 * (as DJL's metadata does), but these names are only compared with the registered ones: an artifact
 * naming another class is refused, and no class name from a repository is ever looked up, loaded or
 * initialised. The factories are handed to DJL as objects.
 *
 * @param blockFactory makes the model's block factory
 * @param translatorFactory makes the model's translator factory
 */
public record ArtifactCode(
        Supplier<? extends BlockFactory> blockFactory,
        Supplier<? extends TranslatorFactory> translatorFactory) {

    /** The metadata argument naming the block factory. */
    public static final String BLOCK_FACTORY = "blockFactory";

    /** The metadata argument naming the translator factory. */
    public static final String TRANSLATOR_FACTORY = "translatorFactory";

    /**
     * Validates the suppliers.
     *
     * @param blockFactory makes the block factory
     * @param translatorFactory makes the translator factory
     */
    public ArtifactCode {
        if (blockFactory == null || translatorFactory == null) {
            throw new IllegalArgumentException(
                    "An artifact needs a block and a translator factory");
        }
    }

    /**
     * Checks that the class names an artifact's arguments give, if any, are the registered ones.
     *
     * @param arguments the artifact's arguments from metadata
     * @param where the artifact, for the message
     * @throws ArtifactFetchException if a name differs from the registered factory's class
     */
    void checkNames(Map<String, Object> arguments, String where) throws ArtifactFetchException {
        check(arguments.get(BLOCK_FACTORY), BLOCK_FACTORY, newBlockFactory(), where);
        check(arguments.get(TRANSLATOR_FACTORY), TRANSLATOR_FACTORY, newTranslatorFactory(), where);
    }

    /**
     * Returns whether an artifact's arguments name exactly this code's two factories.
     *
     * @param arguments the artifact's arguments from metadata
     * @return true if both names are present and are the registered classes
     */
    public boolean isNamedBy(Map<String, Object> arguments) {
        return newBlockFactory().getClass().getName().equals(arguments.get(BLOCK_FACTORY))
                && newTranslatorFactory()
                        .getClass()
                        .getName()
                        .equals(arguments.get(TRANSLATOR_FACTORY));
    }

    /**
     * Makes the block factory.
     *
     * @return a new block factory
     */
    public BlockFactory newBlockFactory() {
        return blockFactory.get();
    }

    /**
     * Makes the translator factory.
     *
     * @return a new translator factory
     */
    public TranslatorFactory newTranslatorFactory() {
        return translatorFactory.get();
    }

    private static void check(Object named, String key, Object registered, String where)
            throws ArtifactFetchException {
        String expected = registered.getClass().getName();
        if (named != null && !expected.equals(named)) {
            throw new ArtifactFetchException(
                    where
                            + ": "
                            + key
                            + " '"
                            + MetadataRules.printable(String.valueOf(named))
                            + "' is not the code this zoo model runs ("
                            + expected
                            + "); repository data never chooses code, refused");
        }
    }
}
