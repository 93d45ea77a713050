package io.moezoo.cli.serve;

import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OpenAI-compatible HTTP server (Javalin on Jetty): {@code GET /v1/models}, {@code POST
 * /v1/completions}, {@code POST /v1/chat/completions}; every refusal is an OpenAI error object with
 * its status (400 bad request, 404 unknown route, 413 body too large, 501 not implemented, 503
 * queue full, 500 failure).
 */
public final class Server implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Server.class);

    private final TextGenerator generator;
    private final ServerOptions options;
    private final GenerationSlots slots;
    private final CompletionHandler completions;
    private final long created = Instant.now().getEpochSecond();
    private Javalin app;

    /**
     * Creates a server; {@link #start} binds it.
     *
     * @param generator the model to answer with
     * @param options the address and limits
     */
    public Server(TextGenerator generator, ServerOptions options) {
        this.generator = generator;
        this.options = options;
        this.slots = new GenerationSlots(options.parallel(), options.queue());
        this.completions = new CompletionHandler(generator, options, slots);
    }

    /**
     * Binds the address and starts serving (in the server's own threads).
     *
     * @return this server
     * @throws IllegalStateException if it was started before
     * @throws io.javalin.util.JavalinBindException if the address cannot be bound
     */
    public synchronized Server start() {
        if (app != null) {
            throw new IllegalStateException("the server was started before");
        }
        app =
                Javalin.create(
                        config -> {
                            config.showJavalinBanner = false;
                            config.startupWatcherEnabled = false;
                            config.http.disableCompression();
                            config.http.maxRequestSize = options.maxRequestBytes();
                        });
        app.get(
                "/v1/models",
                ctx -> json(ctx, 200, Responses.models(generator.modelId(), created).toString()));
        app.post("/v1/completions", ctx -> completions.handle(ctx, false));
        app.post("/v1/chat/completions", ctx -> completions.handle(ctx, true));
        app.exception(ApiException.class, (e, ctx) -> error(ctx, e));
        app.exception(
                Exception.class,
                (e, ctx) -> {
                    LOG.warn("request failed", e);
                    error(ctx, new ApiException(500, "the server failed: " + e, null));
                });
        // Javalin's own 404 body is plain text: every unknown route gets an error object instead.
        app.error(
                404,
                ctx ->
                        error(
                                ctx,
                                new ApiException(
                                        404,
                                        "no route "
                                                + ctx.method()
                                                + " "
                                                + ctx.path()
                                                + " (this server has GET /v1/models, POST"
                                                + " /v1/completions, POST /v1/chat/completions)",
                                        null)));
        app.start(options.host(), options.port());
        return this;
    }

    private static void error(Context ctx, ApiException e) {
        json(ctx, e.status(), Responses.error(e).toString());
    }

    private static void json(Context ctx, int status, String body) {
        ctx.status(status).contentType("application/json").result(body);
    }

    /**
     * Returns the bound port (the free one chosen for port 0).
     *
     * @return the port
     * @throws IllegalStateException before {@link #start}
     */
    public synchronized int port() {
        if (app == null) {
            throw new IllegalStateException("the server is not started");
        }
        return app.port();
    }

    /**
     * Returns the server's base URL.
     *
     * @return {@code http://HOST:PORT}
     */
    public String url() {
        String host = options.host();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    /**
     * Returns the requests generating or waiting to.
     *
     * @return the count
     */
    public int pending() {
        return slots.pending();
    }

    /**
     * Returns the streaming generations ended early because their client went away.
     *
     * @return the count
     */
    public long abandoned() {
        return completions.abandoned();
    }

    /** Stops serving (requests in flight are cut off); the model is left open. */
    @Override
    public synchronized void close() {
        if (app != null) {
            app.stop();
        }
    }
}
