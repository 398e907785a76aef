package io.vigil.runtime.http;

/**
 * A request the route will not serve, with the status and the reason to answer it with (a 4xx naming the problem and
 * the fix). A route throws it from wherever it finds the problem; the endpoint answers {@code {"error": reason}}.
 */
public final class HttpRefusal extends RuntimeException {
    private final int status;

    public HttpRefusal(int status, String reason) {
        super(reason, null, false, false);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a refusal is a 4xx or 5xx status, got " + status);
        }
        this.status = status;
    }

    public int status() {
        return status;
    }
}
