package io.moezoo.cli.serve;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Reads a request body of bounded size as strict UTF-8. */
final class RequestBody {

    private RequestBody() {}

    /**
     * Reads the body.
     *
     * @param ctx the request
     * @param maxBytes the largest body accepted
     * @return the body text
     * @throws ApiException 413 for a larger body (by its Content-Length, or once that many bytes
     *     have arrived), 400 for one that is not UTF-8
     * @throws IOException if the body cannot be read
     */
    static String read(Context ctx, int maxBytes) throws IOException {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(maxBytes);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try (InputStream in = ctx.req().getInputStream()) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                if (bytes.size() + n > maxBytes) {
                    throw tooLarge(maxBytes);
                }
                bytes.write(buffer, 0, n);
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ApiException.invalid(null, "the request body is not UTF-8 text");
        }
    }

    private static ApiException tooLarge(int maxBytes) {
        return new ApiException(
                413,
                "the request body is larger than this server's limit of "
                        + maxBytes
                        + " bytes (--max-request-bytes)",
                null);
    }
}
