package io.moezoo.cli.serve;

/**
 * How the server listens and what it accepts.
 *
 * @param host the address to bind (a loopback address unless the user chose otherwise)
 * @param port the port, 0 for a free one
 * @param maxRequestBytes the largest request body (413 beyond it)
 * @param maxTokensLimit the largest {@code max_tokens} (400 beyond it)
 * @param parallel the generations that run at once
 * @param queue the requests that may wait for a generation slot (503 beyond them)
 */
public record ServerOptions(
        String host, int port, int maxRequestBytes, int maxTokensLimit, int parallel, int queue) {

    /** The default address: loopback only. */
    public static final String DEFAULT_HOST = "127.0.0.1";

    /**
     * Validates the options.
     *
     * @param host the address to bind
     * @param port the port
     * @param maxRequestBytes the largest request body
     * @param maxTokensLimit the largest max_tokens
     * @param parallel the generations at once
     * @param queue the requests that may wait
     * @throws IllegalArgumentException naming the first invalid option
     */
    public ServerOptions {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("--host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be in [0, 65535], got " + port);
        }
        if (maxRequestBytes < 1) {
            throw new IllegalArgumentException(
                    "--max-request-bytes must be >= 1, got " + maxRequestBytes);
        }
        if (maxTokensLimit < 1) {
            throw new IllegalArgumentException(
                    "--max-tokens-limit must be >= 1, got " + maxTokensLimit);
        }
        if (parallel < 1 || parallel > 256) {
            throw new IllegalArgumentException("--parallel must be in [1, 256], got " + parallel);
        }
        if (queue < 0 || queue > 100_000) {
            throw new IllegalArgumentException("--queue must be in [0, 100000], got " + queue);
        }
    }

    /**
     * The defaults on a port: loopback, 1 MiB bodies, 512 tokens, one worker, 16 waiting.
     *
     * @param port the port, 0 for a free one
     * @return the options
     */
    public static ServerOptions defaults(int port) {
        return new ServerOptions(DEFAULT_HOST, port, 1 << 20, 512, 1, 16);
    }
}
