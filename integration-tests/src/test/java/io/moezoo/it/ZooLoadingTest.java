package io.moezoo.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.File;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every zoo family loads through {@code Criteria} and predicts: from the embedded repository (the
 * {@code moe-zoo-weights} jar), and from a loopback HTTP mirror of it with the weights jar left off
 * the class path, giving the same predictions.
 */
class ZooLoadingTest {

    private static final Set<String> ARTIFACTS =
            Set.of(
                    "brown-moe",
                    "brown-dense",
                    "vit-moe-fashion-mnist",
                    "time-moe-vega",
                    "dmoerm-brown",
                    "armorm-brown");

    @Test
    void everyFamilyLoadsFromTheEmbeddedRepositoryAndFromAnHttpMirror() throws Exception {
        Path work = Workspace.prepare();
        JavaProcess.Result embedded =
                JavaProcess.run(
                        work,
                        JavaProcess.libraryClassPath(),
                        List.of(),
                        LoadEveryFamily.class.getName());
        assertEquals(0, embedded.code(), embedded.describe());
        Map<String, String> fromJar = results(embedded.out());
        assertEquals(ARTIFACTS, fromJar.keySet(), embedded.describe());

        Set<String> served = ConcurrentHashMap.newKeySet();
        HttpServer server =
                HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext(
                "/",
                exchange -> {
                    String path = exchange.getRequestURI().getPath().substring(1);
                    try (InputStream in =
                            getClass()
                                    .getClassLoader()
                                    .getResourceAsStream("io/moezoo/zoo/repository/" + path)) {
                        if (in == null || path.contains("..")) {
                            exchange.sendResponseHeaders(404, -1);
                        } else {
                            byte[] body = in.readAllBytes();
                            served.add(path);
                            exchange.sendResponseHeaders(200, body.length);
                            exchange.getResponseBody().write(body);
                        }
                    }
                    exchange.close();
                });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/";
            String withoutWeights =
                    Arrays.stream(JavaProcess.libraryClassPath().split(File.pathSeparator))
                            .filter(p -> !Path.of(p).getFileName().toString().startsWith("moe-zoo-weights"))
                            .collect(Collectors.joining(File.pathSeparator));
            JavaProcess.Result mirrored =
                    JavaProcess.run(
                            work,
                            withoutWeights,
                            work.resolve("mirror-cache-" + System.nanoTime()),
                            List.of("-Dmoezoo.repository.url=" + url),
                            LoadEveryFamily.class.getName());
            assertEquals(0, mirrored.code(), mirrored.describe());
            assertEquals(fromJar, results(mirrored.out()), "mirror and embedded predictions");
        } finally {
            server.stop(0);
        }
        for (String id : ARTIFACTS) {
            assertTrue(
                    served.stream().anyMatch(p -> p.contains("/" + id + "/") && p.endsWith(".safetensors")),
                    id + " weights came from the mirror: " + served);
        }
    }

    private static Map<String, String> results(String out) {
        Map<String, String> m = new TreeMap<>();
        for (String line : out.split("\n")) {
            int tab = line.indexOf('\t');
            if (tab > 0) {
                m.put(line.substring(0, tab), line.substring(tab + 1));
            }
        }
        return m;
    }
}
