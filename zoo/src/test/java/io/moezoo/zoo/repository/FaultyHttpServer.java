package io.moezoo.zoo.repository;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback HTTP server over a directory, as a user's own model repository would be, that can also
 * behave as a hostile or broken one: answer a path with an error status, cut its body short,
 * trickle it, stall before or after the headers, redirect, or announce a wrong length.
 *
 * <p>It is bounded so that no test can hang on it: it listens on loopback only, serves at most
 * {@value #MAX_REQUESTS} requests (then answers 503), and every stall ends after {@value
 * #MAX_STALL_SECONDS} s or as soon as the server is closed.
 */
public final class FaultyHttpServer implements AutoCloseable {

    static final int MAX_REQUESTS = 1000;
    static final int MAX_STALL_SECONDS = 30;

    /** How a path misbehaves. */
    private interface Fault {
        void answer(FaultyHttpServer server, HttpExchange exchange, byte[] body)
                throws IOException, InterruptedException;
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final Path root;
    private final Map<String, Fault> faults = new ConcurrentHashMap<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    final AtomicInteger requests = new AtomicInteger();

    /**
     * Starts serving a directory on a free loopback port.
     *
     * @param root the directory
     * @throws IOException if the server cannot start
     */
    public FaultyHttpServer(Path root) throws IOException {
        this.root = root.toAbsolutePath().normalize();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        executor =
                Executors.newFixedThreadPool(
                        4,
                        r -> {
                            Thread t = new Thread(r, "faulty-http");
                            t.setDaemon(true);
                            return t;
                        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Returns how many requests were served. */
    public int requests() {
        return requests.get();
    }

    /** Returns the base URL, ending with a slash. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** Answers paths ending with the suffix with this HTTP status. */
    void failWith(String pathSuffix, int status) {
        faults.put(pathSuffix, (s, exchange, body) -> exchange.sendResponseHeaders(status, -1));
    }

    /** Sends only the first n bytes of paths ending with the suffix. */
    void truncate(String pathSuffix, int bytes) {
        faults.put(
                pathSuffix,
                (s, exchange, body) -> {
                    exchange.sendResponseHeaders(200, 0); // chunked: the client sees a clean EOF
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(Arrays.copyOf(body, Math.min(bytes, body.length)));
                    }
                });
    }

    /** Sends the body of paths ending with the suffix one byte every {@code millis}. */
    void trickle(String pathSuffix, long millis) {
        faults.put(
                pathSuffix,
                (s, exchange, body) -> {
                    exchange.sendResponseHeaders(200, body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        for (byte b : body) {
                            out.write(b);
                            out.flush();
                            if (s.closed.await(millis, TimeUnit.MILLISECONDS)) {
                                return;
                            }
                        }
                    }
                });
    }

    /** Sends the headers and the first bytes of paths ending with the suffix, then nothing. */
    void stallAfterHeaders(String pathSuffix) {
        faults.put(
                pathSuffix,
                (s, exchange, body) -> {
                    exchange.sendResponseHeaders(200, body.length);
                    OutputStream out = exchange.getResponseBody();
                    out.write(body, 0, Math.min(16, body.length));
                    out.flush();
                    s.closed.await(MAX_STALL_SECONDS, TimeUnit.SECONDS);
                });
    }

    /** Accepts requests for paths ending with the suffix and never answers. */
    void stallBeforeHeaders(String pathSuffix) {
        faults.put(
                pathSuffix,
                (s, exchange, body) -> s.closed.await(MAX_STALL_SECONDS, TimeUnit.SECONDS));
    }

    /** Redirects paths ending with the suffix to a location (absolute or relative). */
    void redirect(String pathSuffix, String location) {
        faults.put(
                pathSuffix,
                (s, exchange, body) -> {
                    exchange.getResponseHeaders().add("Location", location);
                    exchange.sendResponseHeaders(302, -1);
                });
    }

    /** Serves paths ending with the suffix with other bytes. */
    void replace(String pathSuffix, byte[] other) {
        faults.put(
                pathSuffix,
                (s, exchange, body) -> {
                    exchange.sendResponseHeaders(200, other.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(other);
                    }
                });
    }

    /** Serves every path normally again. */
    void clearFaults() {
        faults.clear();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        try (exchange) {
            if (requests.incrementAndGet() > MAX_REQUESTS) {
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            Path file = root.resolve(path.substring(1)).normalize();
            byte[] body =
                    file.startsWith(root) && Files.isRegularFile(file)
                            ? Files.readAllBytes(file)
                            : null;
            for (Map.Entry<String, Fault> e : faults.entrySet()) {
                if (path.endsWith(e.getKey())) {
                    e.getValue().answer(this, exchange, body == null ? new byte[0] : body);
                    return;
                }
            }
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the client went away (as a client that abandons a slow transfer does)
        }
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
