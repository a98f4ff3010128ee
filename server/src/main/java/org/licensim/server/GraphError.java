package org.licensim.server;

/**
 * A request Graph would refuse: the HTTP status and Graph's error {@code code} and
 * {@code message}, written as Graph's error envelope by {@link GraphJson#error}. Thrown anywhere
 * while a request is handled; nothing has changed when it is thrown.
 */
final class GraphError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;
    final String code;
    /** Seconds for a Retry-After header (429), or 0. */
    final int retryAfter;

    GraphError(int status, String code, String message) {
        this(status, code, message, 0);
    }

    GraphError(int status, String code, String message, int retryAfter) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    static GraphError badRequest(String message) {
        return new GraphError(400, "Request_BadRequest", message);
    }

    static GraphError notFound(String id) {
        return new GraphError(404, "Request_ResourceNotFound", "Resource '" + id
                + "' does not exist or one of its queried reference-property objects are not present.");
    }

    static GraphError noRoute(String path) {
        return new GraphError(400, "BadRequest", "Resource not found for the segment '" + path + "'.");
    }
}
