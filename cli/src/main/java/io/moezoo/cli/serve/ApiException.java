package io.moezoo.cli.serve;

/**
 * A request the server refuses, answered with an HTTP status and an OpenAI-style error object
 * {@code {"error":{"message","type","param"}}}.
 */
public final class ApiException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The HTTP status. */
    private final int status;

    /** The request field at fault, or null. */
    private final String param;

    /**
     * Creates the exception.
     *
     * @param status the HTTP status
     * @param message what is wrong, for the client
     * @param param the request field at fault, or null
     */
    public ApiException(int status, String message, String param) {
        super(message);
        this.status = status;
        this.param = param;
    }

    /**
     * A 400 about a request field.
     *
     * @param param the field
     * @param message what is wrong
     * @return the exception
     */
    public static ApiException invalid(String param, String message) {
        return new ApiException(400, message, param);
    }

    /**
     * Returns the HTTP status.
     *
     * @return the status
     */
    public int status() {
        return status;
    }

    /**
     * Returns the request field at fault.
     *
     * @return the field, or null
     */
    public String param() {
        return param;
    }

    /**
     * Returns the OpenAI error type of the status.
     *
     * @return {@code invalid_request_error} for 4xx but 429, else a server-side type
     */
    public String type() {
        if (status == 503 || status == 429) {
            return "server_overloaded";
        }
        if (status == 501) {
            return "not_implemented";
        }
        return status >= 500 ? "server_error" : "invalid_request_error";
    }
}
