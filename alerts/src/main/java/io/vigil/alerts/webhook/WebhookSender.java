package io.vigil.alerts.webhook;

import io.vigil.alerts.AlertsConfig;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Delivers one JSON body to one URL: POST, signed, retried on network errors, 5xx and 429 with exponential
 * backoff (with jitter, capped) up to the configured attempts. 4xx other than 408/429 is final: retrying
 * would not help.
 */
public final class WebhookSender {
    private final HttpClient client;
    private final AlertsConfig config;
    private final Clock clock;
    private final RetryListener listener;
    private final Map<URI, Lane> lanes = new ConcurrentHashMap<>();

    /** Observes retries (for metrics). */
    public interface RetryListener {
        void retrying(URI url, int attempt, String reason);
    }

    /** How a delivery ended. */
    public record Outcome(URI url, boolean delivered, int attempts, String detail) {}

    public WebhookSender(HttpClient client, AlertsConfig config, Clock clock, RetryListener listener) {
        this.client = client;
        this.config = config;
        this.clock = clock;
        this.listener = listener;
    }

    /** Delivers one alert's JSON to one webhook, signed with that webhook's secret. */
    public CompletableFuture<Outcome> send(Webhook hook, String alertId, byte[] body) {
        return attempt(hook, alertId, body, 1);
    }

    private CompletableFuture<Outcome> attempt(Webhook hook, String alertId, byte[] body, int n) {
        URI url = hook.url();
        HttpRequest.Builder req = HttpRequest.newBuilder(url)
                .timeout(config.requestTimeout())
                .header("Content-Type", "application/json")
                .header("User-Agent", "vigil-alerts")
                .header("X-Vigil-Alert-Id", alertId)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (hook.secret() != null) {
            req.header(Signature.HEADER, Signature.header(hook.secret(), clock.millis() / 1000, body));
        }
        Lane lane = lanes.computeIfAbsent(url, u -> new Lane(config.concurrency()));
        CompletableFuture<HttpResponse<Void>> response = new CompletableFuture<>();
        lane.submit(() -> client.sendAsync(req.build(), HttpResponse.BodyHandlers.discarding())
                // the whole exchange, body included, within the timeout: a receiver that answers slowly, or never,
                // holds one of its own webhook's slots for at most that long, and nothing else
                .orTimeout(config.requestTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((resp, err) -> {
                    lane.done();
                    if (err != null) {
                        response.completeExceptionally(err);
                    } else {
                        response.complete(resp);
                    }
                }));
        return response.handle((resp, err) -> {
                    if (err == null && resp.statusCode() / 100 == 2) {
                        return CompletableFuture.completedFuture(
                                new Outcome(url, true, n, "HTTP " + resp.statusCode()));
                    }
                    String reason = err != null ? rootCause(err) : "HTTP " + resp.statusCode();
                    boolean retriable = err != null
                            || resp.statusCode() >= 500
                            || resp.statusCode() == 429
                            || resp.statusCode() == 408;
                    if (!retriable || n >= config.attempts()) {
                        return CompletableFuture.completedFuture(new Outcome(
                                url, false, n, reason + (retriable ? " after " + n + " attempts" : " (not retried)")));
                    }
                    listener.retrying(url, n, reason);
                    return attempt(hook, alertId, body, n + 1, delay(n));
                })
                .thenCompose(f -> f);
    }

    private CompletableFuture<Outcome> attempt(Webhook hook, String alertId, byte[] body, int n, long delayMs) {
        Executor later = CompletableFuture.delayedExecutor(delayMs, TimeUnit.MILLISECONDS);
        return CompletableFuture.supplyAsync(() -> attempt(hook, alertId, body, n), later)
                .thenCompose(f -> f);
    }

    /** Requests waiting for, and holding, one webhook's slots: each webhook has its own, so one slow receiver waits alone. */
    private static final class Lane {
        private final Semaphore slots;
        private final Queue<Runnable> waiting = new ConcurrentLinkedQueue<>();

        Lane(int slots) {
            this.slots = new Semaphore(slots);
        }

        void submit(Runnable request) {
            waiting.add(request);
            drain();
        }

        void done() {
            slots.release();
            drain();
        }

        private void drain() {
            while (!waiting.isEmpty() && slots.tryAcquire()) {
                Runnable next = waiting.poll();
                if (next == null) {
                    slots.release();
                    return;
                }
                next.run();
            }
        }
    }

    /** Requests of this webhook waiting for a slot (for metrics and tests). */
    public int waiting(URI url) {
        Lane lane = lanes.get(url);
        return lane == null ? 0 : lane.waiting.size();
    }

    long delay(int attempt) {
        long cap = config.backoffMax().toMillis();
        long d = Math.min(cap, config.backoffMin().toMillis() << Math.min(attempt - 1, 20));
        return d / 2 + ThreadLocalRandom.current().nextLong(d / 2 + 1);
    }

    private String rootCause(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof java.util.concurrent.TimeoutException) {
            return "no complete answer within " + config.requestTimeout().toMillis() + " ms";
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }
}
