package io.moezoo.zoo.repository;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP server over a directory, as a user's own model repository would be: serves files,
 * and on request answers a path with an error status or cuts its body short.
 */
public final class FaultyHttpServer implements AutoCloseable {

    private final HttpServer server;
    private final Path root;
    private final Map<String, Integer> statusFaults = new ConcurrentHashMap<>();
    private final Map<String, Integer> truncations = new ConcurrentHashMap<>();
    final AtomicInteger requests = new AtomicInteger();

    /** Returns how many requests were served. */
    public int requests() {
        return requests.get();
    }

    /**
     * Starts serving a directory on a free loopback port.
     *
     * @param root the directory
     * @throws IOException if the server cannot start
     */
    public FaultyHttpServer(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Returns the base URL, ending with a slash. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** Answers paths ending with the suffix with this HTTP status. */
    void failWith(String pathSuffix, int status) {
        statusFaults.put(pathSuffix, status);
    }

    /** Sends only the first n bytes of paths ending with the suffix. */
    void truncate(String pathSuffix, int bytes) {
        truncations.put(pathSuffix, bytes);
    }

    private void handle(HttpExchange exchange) throws IOException {
        requests.incrementAndGet();
        String path = exchange.getRequestURI().getPath();
        try (exchange) {
            for (Map.Entry<String, Integer> e : statusFaults.entrySet()) {
                if (path.endsWith(e.getKey())) {
                    exchange.sendResponseHeaders(e.getValue(), -1);
                    return;
                }
            }
            Path file = root.resolve(path.substring(1)).normalize();
            if (!file.startsWith(root) || !Files.isRegularFile(file)) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            byte[] body = Files.readAllBytes(file);
            for (Map.Entry<String, Integer> e : truncations.entrySet()) {
                if (path.endsWith(e.getKey())) {
                    byte[] cut = java.util.Arrays.copyOf(body, e.getValue());
                    exchange.sendResponseHeaders(200, 0); // chunked: the client sees a clean EOF
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(cut);
                    }
                    return;
                }
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
