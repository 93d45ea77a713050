package io.moezoo.cli.serve;

import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A {@code text/event-stream} response: one {@code data: JSON} event per call, flushed at once. The
 * status and headers are sent with the first event, so a request refused before any text still gets
 * its error status. A failed write (the client went away) throws {@link ClientGone}.
 */
final class EventStream {

    /** Thrown when the client can no longer be written to; ends its generation. */
    static final class ClientGone extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ClientGone(IOException cause) {
            super("the client closed the connection", cause);
        }
    }

    private final HttpServletResponse response;
    private OutputStream out;

    /**
     * Creates the stream.
     *
     * @param response the response to write to
     */
    EventStream(HttpServletResponse response) {
        this.response = response;
    }

    /**
     * Returns whether the response has started (headers and at least one event sent).
     *
     * @return true once an event was sent
     */
    boolean started() {
        return out != null;
    }

    /**
     * Sends one event.
     *
     * @param data the event's data (a JSON document or {@code [DONE]})
     * @throws ClientGone when the client can no longer be written to
     */
    void send(String data) {
        try {
            if (out == null) {
                response.setStatus(200);
                response.setContentType("text/event-stream;charset=utf-8");
                response.setHeader("Cache-Control", "no-cache");
                response.setHeader("X-Accel-Buffering", "no");
                out = response.getOutputStream();
            }
            out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new ClientGone(e);
        }
    }
}
