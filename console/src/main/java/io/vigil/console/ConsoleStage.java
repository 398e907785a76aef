package io.vigil.console;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vigil.api.topic.VigilTopics;
import io.vigil.console.access.Caller;
import io.vigil.console.access.Role;
import io.vigil.console.access.Tokens;
import io.vigil.console.access.TokensFile;
import io.vigil.console.routes.AlertApi;
import io.vigil.console.routes.Api;
import io.vigil.console.routes.CameraApi;
import io.vigil.console.routes.PeopleApi;
import io.vigil.console.routes.WebConsole;
import io.vigil.console.state.Tables;
import io.vigil.runtime.config.CommonConfig;
import io.vigil.runtime.http.HttpEndpoint;
import io.vigil.runtime.kafka.KafkaClients;
import io.vigil.runtime.lifecycle.Stage;
import io.vigil.runtime.loop.Failures;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The console service: the HTTP API under {@code /api/v1} (cameras, people, alerts, audit) with its OpenAPI document
 * at {@code /openapi.json}, and the web console at {@code /console/}, on the process's HTTP endpoint. It keeps no state of its own: it follows the compacted
 * topics and writes the same records as the CLI, so any number of replicas may run.
 */
public final class ConsoleStage implements Stage {
    private static final Logger LOG = LoggerFactory.getLogger(ConsoleStage.class);
    private final KafkaProducer<byte[], byte[]> producer;
    private final Tables tables;
    private final CameraApi cameras;
    private final PeopleApi people;
    private final AlertApi alerts;
    private final PhotoReader reader;

    public ConsoleStage(
            CommonConfig common,
            ConsoleConfig config,
            VigilTopics topics,
            MeterRegistry registry,
            HttpEndpoint http,
            PhotoReader reader,
            Clock clock) {
        Supplier<Tokens> tokens = tokens(config, http, common);
        this.reader = reader;
        producer = KafkaClients.byteProducer(KafkaClients.producer(common, "vigil-console"));
        Supplier<Consumer<byte[], byte[]>> consumers =
                () -> KafkaClients.byteConsumer(KafkaClients.reader(common, "vigil-console"));
        tables = new Tables(consumers, topics, config.duplicateCheck(), Failures::describe);
        Api api = new Api(tokens, producer, topics, clock, registry, Failures::describe, tables::ready);
        cameras = new CameraApi(api, tables, consumers);
        people = new PeopleApi(api, tables, reader, config, consumers);
        alerts = new AlertApi(api, consumers, config.alertScan());
        cameras.register(http);
        people.register(http);
        alerts.register(http);
        new WebConsole().register(http);
        http.get("/api/v1/me", call -> {
            Caller caller = api.require(call, Role.VIEWER);
            api.json(call, 200, new Me(caller.name(), caller.role().label()));
        });
        Gauge.builder("vigil.console.cameras", tables, t -> t.cameras().size())
                .description("cameras registered, as the console sees them")
                .register(registry);
        Gauge.builder("vigil.console.people", tables, t -> t.people().size())
                .description("people enrolled, as the console sees them")
                .register(registry);
        Gauge.builder("vigil.console.unreadable", tables, Tables::unreadable)
                .description("records of the compacted topics the console could not read")
                .register(registry);
    }

    /** Who the caller is, for a client to show them what their role may do. */
    public record Me(String name, String role) {}

    private static Supplier<Tokens> tokens(ConsoleConfig config, HttpEndpoint http, CommonConfig common) {
        if (config.tokens() == null) {
            if (!http.loopbackOnly()) {
                throw new IllegalArgumentException("the console would let anyone who can reach "
                        + common.httpHost() + ":" + http.port() + " change cameras and the watchlist; set"
                        + " VIGIL_CONSOLE_TOKENS to a tokens file (`vigil console token --name NAME --role admin"
                        + " >> tokens`), or VIGIL_HTTP_HOST=127.0.0.1 to serve this machine only");
            }
            LOG.warn("Console API open to this machine without tokens (no VIGIL_CONSOLE_TOKENS)");
            return () -> null;
        }
        try {
            TokensFile file = new TokensFile(config.tokens(), Duration.ofSeconds(5));
            LOG.info("Console API: {} tokens from {}", file.get().size(), config.tokens());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String name() {
        return "console";
    }

    @Override
    public void start() {
        tables.start();
    }

    @Override
    public boolean ready() {
        return tables.ready();
    }

    @Override
    public void close() {
        tables.close();
        cameras.close();
        people.close();
        alerts.close();
        producer.close(Duration.ofSeconds(5));
        reader.close();
    }
}
