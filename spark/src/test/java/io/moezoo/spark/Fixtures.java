package io.moezoo.spark;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The test resources of this package, as paths. */
final class Fixtures {

    private Fixtures() {}

    /**
     * Returns a resource of {@code io/moezoo/spark/}.
     *
     * @param name the file name
     * @return its path
     */
    static String path(String name) {
        try {
            return Path.of(Fixtures.class.getResource(name).toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
