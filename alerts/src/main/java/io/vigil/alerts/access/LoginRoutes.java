package io.vigil.alerts.access;

import io.vigil.runtime.http.HttpCall;
import io.vigil.runtime.http.HttpEndpoint;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * {@code GET /login} (a form asking for the token), {@code POST /login} (checks it and sets an HttpOnly,
 * SameSite=Strict session cookie, then back to the page) and {@code POST /logout}. The token never appears in a URL,
 * so it stays out of browser history, proxy logs and Referer headers.
 */
public final class LoginRoutes {
    /** What the login page may load: its own stylesheet, nothing else; it may post only to this server. */
    public static final String PAGE_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    private static final int MAX_FORM_BYTES = 4096;
    private final Access access;
    private final String page;

    public LoginRoutes(Access access) {
        this.access = access;
        try (InputStream in = LoginRoutes.class.getResourceAsStream("/io/vigil/alerts/login.html")) {
            this.page = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the login page is missing from the jar", e);
        }
    }

    public void register(HttpEndpoint http) {
        http.get("/login", call -> form(call, 200, false));
        http.post("/login", this::login);
        http.post("/logout", this::logout);
    }

    private void form(HttpCall call, int status, boolean failed) throws IOException {
        if (access.open()) {
            call.redirect("/");
            return;
        }
        call.responseHeader("Cache-Control", "no-store").responseHeader("Content-Security-Policy", PAGE_POLICY);
        String body = failed ? page.replace("<p id=\"failed\" hidden>", "<p id=\"failed\">") : page;
        call.respond(status, "text/html; charset=utf-8", body);
    }

    private void login(HttpCall call) throws IOException {
        if (access.open()) {
            call.redirect("/");
            return;
        }
        Map<String, String> form = call.form(MAX_FORM_BYTES);
        if (form == null) {
            call.error(413, "the login form is limited to " + MAX_FORM_BYTES + " bytes");
            return;
        }
        if (!access.isToken(form.get("token"))) {
            form(call, 401, true);
            return;
        }
        call.setCookie(Access.COOKIE, access.newSession(), access.ttl()).responseHeader("Cache-Control", "no-store");
        call.redirect("/");
    }

    private void logout(HttpCall call) throws IOException {
        call.setCookie(Access.COOKIE, "", Duration.ZERO).redirect(access.open() ? "/" : "/login");
    }
}
