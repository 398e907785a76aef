package io.vigil.console.routes;

import io.vigil.api.Text;
import io.vigil.api.audit.AuditEvent;
import io.vigil.api.camera.CameraOptions;
import io.vigil.api.camera.CameraSpec;
import io.vigil.api.camera.CameraStatus;
import io.vigil.api.frame.Frame;
import io.vigil.console.access.Caller;
import io.vigil.console.access.Role;
import io.vigil.console.state.Tables;
import io.vigil.runtime.http.HttpCall;
import io.vigil.runtime.http.HttpEndpoint;
import io.vigil.runtime.http.HttpRefusal;
import org.apache.kafka.clients.consumer.Consumer;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code /api/v1/cameras}: list with live status, create, change, remove, and a snapshot of the latest frame to
 * check the view. Writes the same {@code cameras} records as {@code vigil camera add/rm}; URLs are shown masked.
 */
public final class CameraApi implements AutoCloseable {
    /** What the API may register: network streams. File URLs are for the demo and tests, through the CLI. */
    static final Set<String> SCHEMES = Set.of("rtsp", "rtsps", "http", "https");

    /** A camera as a client sends it; boxed, so that a missing field is told apart from a zero. */
    public record CameraBody(
            String id, String url, Double fps, Integer maxWidth, Boolean keyframesOnly, Map<String, String> options) {}

    /** A camera as the API shows it: its settings (URL masked) and its latest status from ingest. */
    public record CameraView(
            String id,
            String url,
            double fps,
            int maxWidth,
            boolean keyframesOnly,
            Map<String, String> options,
            String state,
            String reason,
            String worker,
            Long statusAtMs,
            double inputFps,
            double publishedFps,
            Long lastFrameAtMs) {
        static CameraView of(CameraSpec c, CameraStatus s) {
            return new CameraView(
                    c.id(),
                    c.maskedUrl(),
                    c.fps(),
                    c.maxWidth(),
                    c.keyframesOnly(),
                    c.options(),
                    s == null ? "UNKNOWN" : s.state().name(),
                    s == null ? null : s.reason(),
                    s == null ? null : s.worker(),
                    s == null ? null : s.atMs(),
                    s == null ? 0 : s.inputFps(),
                    s == null ? 0 : s.publishedFps(),
                    s == null || s.lastFrameAtMs() == 0 ? null : s.lastFrameAtMs());
        }
    }

    public record CameraList(List<CameraView> cameras) {}

    private final Api api;
    private final Tables tables;
    private final Snapshots snapshots;

    public CameraApi(Api api, Tables tables, Supplier<Consumer<byte[], byte[]>> consumers) {
        this.api = api;
        this.tables = tables;
        this.snapshots = new Snapshots(consumers, api.topics().frames);
    }

    public void register(HttpEndpoint http) {
        http.get("/api/v1/cameras", this::list);
        http.post("/api/v1/cameras", this::create);
        http.get("/api/v1/cameras/{id}", this::one);
        http.put("/api/v1/cameras/{id}", this::change);
        http.delete("/api/v1/cameras/{id}", this::remove);
        http.get("/api/v1/cameras/{id}/snapshot", this::snapshot);
    }

    private void list(HttpCall call) throws IOException {
        api.require(call, Role.VIEWER);
        List<CameraView> views = tables.cameras().values().stream()
                .sorted(Comparator.comparing(CameraSpec::id))
                .map(c -> CameraView.of(c, tables.status().get(c.id())))
                .toList();
        api.json(call, 200, new CameraList(views));
    }

    private void one(HttpCall call) throws IOException {
        api.require(call, Role.VIEWER);
        CameraSpec c = known(call.pathParam("id"));
        api.json(call, 200, CameraView.of(c, tables.status().get(c.id())));
    }

    private void create(HttpCall call) throws IOException {
        Caller caller = api.require(call, Role.OPERATOR);
        CameraBody body = api.body(call, CameraBody.class);
        CameraSpec spec = spec(body.id(), body);
        if (tables.cameras().containsKey(spec.id())) {
            throw new HttpRefusal(
                    409, "camera '" + spec.id() + "' exists; change it with PUT /api/v1/cameras/" + spec.id());
        }
        put(call, caller, spec);
        call.responseHeader("Location", "/api/v1/cameras/" + spec.id());
        api.json(call, 201, CameraView.of(spec, null));
    }

    private void change(HttpCall call) throws IOException {
        Caller caller = api.require(call, Role.OPERATOR);
        String id = call.pathParam("id");
        known(id);
        CameraBody body = api.body(call, CameraBody.class);
        if (body.id() != null && !body.id().equals(id)) {
            throw new HttpRefusal(
                    400,
                    "the body's id '" + Text.cut(body.id(), 80) + "' is not the path's '" + id
                            + "'; a camera's id cannot change: remove it and add it again");
        }
        CameraSpec spec = spec(id, body);
        put(call, caller, spec);
        api.json(call, 200, CameraView.of(spec, tables.status().get(id)));
    }

    private void remove(HttpCall call) throws IOException {
        Caller caller = api.require(call, Role.OPERATOR);
        String id = call.pathParam("id");
        CameraSpec old = known(id);
        api.write(api.topics().cameras, id, null);
        tables.camera(id, null);
        api.audit(call, caller, AuditEvent.CAMERA_DELETE, id, old.maskedUrl());
        call.respond(204, "application/json", new byte[0]);
    }

    private void snapshot(HttpCall call) throws IOException {
        api.require(call, Role.VIEWER);
        String id = call.pathParam("id");
        known(id);
        Frame frame;
        try {
            frame = snapshots.latest(id);
        } catch (RuntimeException e) {
            throw new HttpRefusal(503, "cannot read the frames topic now; try again");
        }
        if (frame == null) {
            throw new HttpRefusal(
                    404,
                    "no recent frame from camera '" + id + "' (the last " + Snapshots.MAX_BACK
                            + " records of its partition); check its state: a STREAMING camera sends frames when"
                            + " something moves");
        }
        call.responseHeader("X-Captured-At-Ms", String.valueOf(frame.captureTimeMs()));
        call.respond(200, "image/jpeg", frame.jpeg());
    }

    private void put(HttpCall call, Caller caller, CameraSpec spec) {
        api.write(api.topics().cameras, spec.id(), spec);
        tables.camera(spec.id(), spec);
        api.audit(call, caller, AuditEvent.CAMERA_PUT, spec.id(), spec.maskedUrl() + " at " + spec.fps() + " fps");
    }

    /** The camera {@code id}, or a 404. */
    private CameraSpec known(String id) {
        CameraSpec c = id == null ? null : tables.cameras().get(id);
        if (c == null) {
            throw new HttpRefusal(404, "no camera '" + Text.cut(id, 80) + "'; GET /api/v1/cameras lists them");
        }
        return c;
    }

    /** The camera the body describes, or a 400 listing every problem with it. */
    static CameraSpec spec(String id, CameraBody body) {
        List<String> problems = new ArrayList<>();
        String scheme = body.url() == null ? null : scheme(body.url());
        if (scheme != null && !SCHEMES.contains(scheme)) {
            problems.add("url scheme '" + Text.cut(scheme, 20) + "' is not served by the API; use rtsp, rtsps,"
                    + " http or https (file URLs are for the demo and tests, through the CLI)");
        }
        double fps = body.fps() == null ? 5 : body.fps();
        int maxWidth = body.maxWidth() == null ? 1280 : body.maxWidth();
        Map<String, String> options = body.options() == null ? Map.of() : body.options();
        // the camera contract's own checks, all at once (a stranger's id is echoed, so every problem is cut)
        for (String p : CameraSpec.problems(id, body.url(), fps, maxWidth)) {
            problems.add(Text.cut(p, 400));
        }
        problems.addAll(CameraOptions.problems(options));
        if (!problems.isEmpty()) {
            throw new HttpRefusal(400, String.join("; ", problems));
        }
        return new CameraSpec(id, body.url(), fps, maxWidth, Boolean.TRUE.equals(body.keyframesOnly()), options);
    }

    private static String scheme(String url) {
        try {
            String s = URI.create(url).getScheme();
            return s == null ? null : s.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null; // CameraSpec.problems says what is wrong with it
        }
    }

    @Override
    public void close() {
        snapshots.close();
    }
}
