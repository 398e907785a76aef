package io.vigil.runtime.http;

import io.vigil.api.Text;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Fields;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One request and its response, as a route sees them: read the method, path, query, headers, cookies and a small
 * form; answer once with {@link #respond}, or hold a live stream with {@link #stream}. Keeps the HTTP server's types
 * out of the stages.
 */
public final class HttpCall {
    private final Request request;
    private final Response response;
    private final HttpEndpoint endpoint;
    private Fields query;
    private OutputStream stream;
    private boolean permit;

    HttpCall(Request request, Response response, HttpEndpoint endpoint) {
        this.request = request;
        this.response = response;
        this.endpoint = endpoint;
    }

    public String method() {
        return request.getMethod();
    }

    private Map<String, String> pathParams = Map.of();

    void pathParams(Map<String, String> params) {
        this.pathParams = Map.copyOf(params);
    }

    /** A {@code {name}} segment of the route's path template, URL-decoded; null if the route has none. */
    public String pathParam(String name) {
        String raw = pathParams.get(name);
        return raw == null ? null : java.net.URLDecoder.decode(raw, StandardCharsets.UTF_8);
    }

    public String path() {
        return Request.getPathInContext(request);
    }

    /** A query parameter's first value, or null. */
    public String query(String name) {
        if (query == null) {
            query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
        }
        return query.getValue(name);
    }

    /** A request header's value, or null. */
    public String header(String name) {
        return request.getHeaders().get(name);
    }

    /** A request cookie's value, or null. */
    public String cookie(String name) {
        for (HttpCookie c : Request.getCookies(request)) {
            if (c.getName().equals(name)) {
                return c.getValue();
            }
        }
        return null;
    }

    /** Whether the request came over TLS. */
    public boolean secure() {
        return request.isSecure();
    }

    /**
     * The body as an {@code application/x-www-form-urlencoded} form, or null when it is larger than {@code maxBytes}
     * (the caller answers 413).
     */
    public Map<String, String> form(int maxBytes) throws IOException {
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(request)) {
            body = in.readNBytes(maxBytes + 1);
        }
        if (body.length > maxBytes) {
            return null;
        }
        Map<String, String> form = new HashMap<>();
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                try {
                    form.put(
                            URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    // a malformed escape: the field is left out
                }
            }
        }
        return form;
    }

    /** One part of a {@code multipart/form-data} body, held in memory. */
    public record Part(String name, String fileName, String contentType, byte[] bytes) {}

    /**
     * The body, or a refusal: 413 when it is larger than {@code maxBytes} (its declared length is checked before
     * anything is read).
     */
    public byte[] body(int maxBytes) throws IOException {
        long declared = request.getLength();
        if (declared > maxBytes) {
            drain(declared);
            throw new HttpRefusal(413, "the request body is " + declared + " bytes; at most " + maxBytes + " are read");
        }
        byte[] body;
        try (InputStream in = Content.Source.asInputStream(request)) {
            body = in.readNBytes(maxBytes + 1);
        }
        if (body.length > maxBytes) {
            throw new HttpRefusal(413, "the request body is over " + maxBytes + " bytes, the most that is read");
        }
        return body;
    }

    /**
     * A {@code multipart/form-data} body's parts, parsed by Jetty's parser in memory, or a refusal: 415 when the body
     * is not multipart, 413 when it is over {@code maxBytes} in all, a part over {@code maxPartBytes}, or more than
     * {@code maxParts} parts, 400 when it is malformed.
     */
    public List<Part> multipart(int maxParts, long maxPartBytes, long maxBytes, Duration timeout) throws IOException {
        String type = header("Content-Type");
        String boundary = type == null ? null : MultiPart.extractBoundary(type);
        if (type == null
                || !type.regionMatches(true, 0, "multipart/form-data", 0, 19)
                || boundary == null
                || boundary.isEmpty()) {
            throw new HttpRefusal(
                    415,
                    "send the photos as multipart/form-data (an HTML form with enctype=multipart/form-data,"
                            + " or curl -F photo=@face.jpg)");
        }
        long declared = request.getLength();
        if (declared > maxBytes) {
            drain(declared);
            throw new HttpRefusal(413, "the upload is " + declared + " bytes; at most " + maxBytes + " are accepted");
        }
        MultiPartFormData.Parser parser = new MultiPartFormData.Parser(boundary);
        parser.setMaxParts(maxParts);
        parser.setMaxFileSize(maxPartBytes);
        parser.setMaxMemoryFileSize(maxPartBytes);
        parser.setMaxLength(maxBytes);
        parser.setPartHeadersMaxLength(4096);
        MultiPartFormData.Parts parts;
        try {
            parts = parser.parse(request).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted reading an upload");
        } catch (TimeoutException e) {
            throw new HttpRefusal(408, "the upload did not arrive within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            // the parser's message may quote the stranger's bytes: echoed cut and without control characters
            String why = e.getCause() == null ? "" : Text.cut(e.getCause().getMessage(), 200);
            if (why.contains("max") || why.contains("exceed") || why.contains("too large")) {
                throw new HttpRefusal(
                        413,
                        "the upload is too large (" + why + "): at most " + maxParts + " parts of " + maxPartBytes
                                + " bytes, " + maxBytes + " bytes in all");
            }
            throw new HttpRefusal(400, "the multipart body is malformed: " + why);
        }
        try (parts) {
            List<Part> out = new ArrayList<>();
            for (MultiPart.Part p : parts) {
                ByteBuffer content = Content.Source.asByteBuffer(p.getContentSource());
                byte[] bytes = new byte[content.remaining()];
                content.get(bytes);
                out.add(new Part(p.getName(), p.getFileName(), p.getHeaders().get(HttpHeader.CONTENT_TYPE), bytes));
            }
            return out;
        }
    }

    /** Most of a refused body read and thrown away, so that the client, still sending, sees the refusal. */
    static final long MAX_DRAIN = 64L << 20;

    /**
     * Reads and discards a refused body of up to {@link #MAX_DRAIN} bytes: a server that closes the connection while
     * the client is still sending resets it, and the client may never see the answer. Larger bodies are not read;
     * the connection closes after the refusal.
     */
    private void drain(long declared) throws IOException {
        if (declared > MAX_DRAIN) {
            responseHeader("Connection", "close");
            return;
        }
        byte[] sink = new byte[64 * 1024];
        try (InputStream in = Content.Source.asInputStream(request)) {
            while (in.read(sink) >= 0) {
                // discarded
            }
        }
    }

    /** Whether the response has begun (its status and headers are on their way). */
    boolean committed() {
        return response.isCommitted();
    }

    /** Sets a response header; call before responding. */
    public HttpCall responseHeader(String name, String value) {
        response.getHeaders().put(name, value);
        return this;
    }

    /**
     * Sets a cookie that scripts cannot read ({@code HttpOnly}), that other sites' pages never send
     * ({@code SameSite=Strict}) and that travels only over TLS when the request did; a zero age deletes it.
     */
    public HttpCall setCookie(String name, String value, Duration maxAge) {
        Response.addCookie(
                response,
                HttpCookie.build(name, value)
                        .path("/")
                        .httpOnly(true)
                        .sameSite(HttpCookie.SameSite.STRICT)
                        .secure(secure())
                        .maxAge(maxAge.toSeconds())
                        .build());
        return this;
    }

    public void respond(int status, String contentType, String body) throws IOException {
        respond(status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    public void respond(int status, String contentType, byte[] body) throws IOException {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        Content.Sink.write(response, true, ByteBuffer.wrap(body));
    }

    /** Answers {@code status} with a JSON body {@code {"error": message}}. */
    public void error(int status, String message) throws IOException {
        respond(status, "application/json", "{\"error\":\"" + jsonEscape(message) + "\"}");
    }

    /** Redirects (303) to a path of this server. */
    public void redirect(String path) throws IOException {
        responseHeader("Location", path);
        respond(303, "text/plain; charset=utf-8", "see " + path);
    }

    /**
     * Starts a 200 response that the route writes to for as long as it likes (flush after each event), or answers
     * 503 and returns null when {@link HttpLimits#maxStreams()} streams are already open.
     */
    public OutputStream stream(String contentType) throws IOException {
        if (!endpoint.acquireStream()) {
            responseHeader("Retry-After", "30");
            error(
                    503,
                    "too many live streams are open (VIGIL_HTTP_MAX_STREAMS="
                            + endpoint.limits().maxStreams() + "); close another page or raise the limit");
            return null;
        }
        permit = true;
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        stream = Content.Sink.asOutputStream(response);
        return stream;
    }

    /** How often a stream should send something so that the idle timeout never closes it. */
    public Duration heartbeat() {
        return endpoint.limits().heartbeat();
    }

    /** Ends the response and gives back the stream permit; the endpoint calls it after the route returns. */
    void finish() {
        try {
            if (stream != null) {
                stream.close();
            }
        } catch (IOException e) {
            // the client went away; nothing is left to send
        } finally {
            stream = null;
            if (permit) {
                permit = false;
                endpoint.releaseStream();
            }
        }
    }

    static String jsonEscape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
