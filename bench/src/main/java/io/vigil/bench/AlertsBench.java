package io.vigil.bench;

import com.sun.net.httpserver.HttpServer;
import io.vigil.api.alert.Alert;
import io.vigil.api.face.FaceBox;
import io.vigil.app.pipeline.Pipeline;
import io.vigil.app.pipeline.Settings;
import io.vigil.app.pipeline.StageKind;
import io.vigil.broker.EmbeddedKafka;
import io.vigil.runtime.config.ConfigReader;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

/**
 * {@code vigil bench alerts}: delivery latency to the live stream, MQTT (Debian's mosquitto) and a healthy webhook,
 * with and without a second webhook that accepts connections and never answers, in one run. The alerts service is
 * the real one on an embedded broker; the latency is from the alert's write to the topic to its arrival.
 */
@Command(
        name = "alerts",
        mixinStandardHelpOptions = true,
        description = "Alert delivery latency per sink, with and without a webhook that never answers.")
final class AlertsBench implements Callable<Integer> {
    private static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");

    @Option(names = "--alerts", defaultValue = "300", description = "alerts per run (default ${DEFAULT-VALUE})")
    int alerts;

    @Option(names = "--rate", defaultValue = "50", description = "alerts per second (default ${DEFAULT-VALUE})")
    int rate;

    @Option(names = "--repeats", defaultValue = "3", description = "measured runs per case (default ${DEFAULT-VALUE})")
    int repeats;

    /** Arrival times by channel, then by alert id. */
    private final Map<String, Map<String, Long>> arrivals = new ConcurrentHashMap<>();

    @Override
    public Integer call() throws Exception {
        if (!Files.isExecutable(MOSQUITTO)) {
            System.err.println("vigil bench alerts: needs Debian's mosquitto (apt-get install mosquitto)");
            return 2;
        }
        Path home = Files.createTempDirectory("vigil-bench-alerts");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(home.resolve("kafka"));
                Mosquitto mqtt = new Mosquitto(home);
                HealthyReceiver healthy = new HealthyReceiver(this);
                SilentReceiver stuck = new SilentReceiver()) {
            System.out.printf(
                    Locale.ROOT,
                    "%d alerts per run at %d/s; median [range] of %d runs after a warm-up run, per case%n",
                    alerts,
                    rate,
                    repeats);
            Map<String, List<double[]>> results = new HashMap<>();
            int run = 0;
            for (int r = 0; r <= repeats; r++) {
                for (boolean withStuck : new boolean[] {false, true}) {
                    Map<String, double[]> one = runOnce(kafka, mqtt, healthy, stuck, withStuck, "b" + run++ + ".");
                    if (r == 0) {
                        continue; // warm-up
                    }
                    one.forEach((channel, p) -> results.computeIfAbsent(
                                    (withStuck ? "stuck/" : "ok/") + channel, k -> new ArrayList<>())
                            .add(p));
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "%-8s | %-20s %-20s | %-20s %-20s | %s%n",
                    "sink",
                    "p50 ms",
                    "p99 ms",
                    "p50 ms, stuck hook",
                    "p99 ms, stuck hook",
                    "ratio stuck:healthy p50 / p99");
            for (String channel : List.of("stream", "mqtt", "webhook")) {
                Spread okP50 = spread(results.get("ok/" + channel), 0);
                Spread okP99 = spread(results.get("ok/" + channel), 1);
                Spread stuckP50 = spread(results.get("stuck/" + channel), 0);
                Spread stuckP99 = spread(results.get("stuck/" + channel), 1);
                System.out.printf(
                        Locale.ROOT,
                        "%-8s | %-20s %-20s | %-20s %-20s | %.2fx / %.2fx%n",
                        channel,
                        okP50.show("%.1f"),
                        okP99.show("%.1f"),
                        stuckP50.show("%.1f"),
                        stuckP99.show("%.1f"),
                        stuckP50.ratioTo(okP50),
                        stuckP99.ratioTo(okP99));
            }
            System.out.println("(webhook: the healthy receiver, sharing the service with the stuck one)");
            System.out.println("The stuck webhook received " + stuck.accepted.size()
                    + " connections over the runs and answered none; every alert reached every other sink.");
        }
        return 0;
    }

    private static Spread spread(List<double[]> runs, int index) {
        return Spread.of(runs.stream().mapToDouble(p -> p[index]).toArray());
    }

    /** One alerts service, {@code alerts} alerts at {@code rate}; p50 and p99 latency per channel. */
    private Map<String, double[]> runOnce(
            EmbeddedKafka kafka,
            Mosquitto mqtt,
            HealthyReceiver healthy,
            SilentReceiver stuck,
            boolean withStuck,
            String prefix)
            throws Exception {
        arrivals.clear();
        Map<String, String> env = new HashMap<>();
        env.put("VIGIL_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        env.put("VIGIL_TOPIC_PREFIX", prefix);
        env.put("VIGIL_HTTP_PORT", "0");
        env.put("VIGIL_ALERTS_MQTT_URL", "tcp://127.0.0.1:" + mqtt.port);
        env.put("VIGIL_ALERTS_MQTT_TOPIC", prefix + "mqtt");
        env.put("VIGIL_ALERTS_WEBHOOKS", healthy.url() + (withStuck ? "," + stuck.url() : ""));
        env.put("VIGIL_ALERTS_WEBHOOK_TIMEOUT", "30s");
        env.put("VIGIL_ALERTS_ATTEMPTS", "2");
        env.put("VIGIL_ALERTS_RECENT", Integer.toString(alerts));
        Settings settings = Settings.load(new ConfigReader(env));
        Map<String, Long> sent = new ConcurrentHashMap<>();
        try (Pipeline pipeline = Pipeline.start(settings, StageKind.ALERTS, false)) {
            while (!pipeline.stages().get(0).ready()) {
                Thread.sleep(50);
            }
            MqttClient sub = new MqttClient("tcp://127.0.0.1:" + mqtt.port, "bench-" + prefix, new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setCleanSession(true);
            sub.connect(o);
            sub.subscribe(
                    prefix + "mqtt/+",
                    1,
                    (topic, msg) -> arrived("mqtt", new String(msg.getPayload(), StandardCharsets.UTF_8)));
            Thread sse = stream(pipeline.httpPort());
            while (pipeline.stages().get(0) instanceof io.vigil.alerts.AlertsStage a
                    && a.hub().subscribers() == 0) {
                Thread.sleep(20);
            }
            try (KafkaProducer<String, Alert> p = new KafkaProducer<>(
                    Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            kafka.bootstrapServers(),
                            ProducerConfig.LINGER_MS_CONFIG,
                            0),
                    pipeline.topics().alerts.keySerde().serializer(),
                    pipeline.topics().alerts.valueSerde().serializer())) {
                long interval = 1_000_000_000L / rate;
                long next = System.nanoTime();
                for (int i = 0; i < alerts; i++) {
                    Alert a = alert("cam-" + (i % 12), "p-" + i, i);
                    sent.put(a.alertId(), System.nanoTime());
                    p.send(new ProducerRecord<>(pipeline.topics().alerts.name(), a.cameraId(), a));
                    next += interval;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            }
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline
                    && !List.of("stream", "mqtt", "webhook").stream()
                            .allMatch(c -> arrivals.getOrDefault(c, Map.of()).size() >= alerts)) {
                Thread.sleep(50);
            }
            sse.interrupt();
            sub.disconnect();
            sub.close();
        }
        Map<String, double[]> out = new HashMap<>();
        for (String channel : List.of("stream", "mqtt", "webhook")) {
            Map<String, Long> got = arrivals.getOrDefault(channel, Map.of());
            long[] ms = sent.entrySet().stream()
                    .filter(e -> got.containsKey(e.getKey()))
                    .mapToLong(e -> (got.get(e.getKey()) - e.getValue()) / 1_000_000)
                    .sorted()
                    .toArray();
            if (ms.length < alerts) {
                throw new IllegalStateException(channel + " received " + ms.length + " of " + alerts + " alerts");
            }
            out.put(channel, new double[] {Percentile.of(ms, 0.5), Percentile.of(ms, 0.99)});
        }
        return out;
    }

    void arrived(String channel, String json) {
        long now = System.nanoTime();
        int i = json.indexOf("\"alertId\":\"");
        if (i >= 0) {
            String id = json.substring(i + 11, json.indexOf('"', i + 11));
            arrivals.computeIfAbsent(channel, c -> new ConcurrentHashMap<>()).putIfAbsent(id, now);
        }
    }

    private Thread stream(int port) {
        Thread t = new Thread(() -> {
            try {
                HttpResponse<InputStream> r = HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/alerts/stream"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofInputStream());
                try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = in.readLine()) != null) {
                        if (line.startsWith("data: ")) {
                            arrived("stream", line);
                        }
                    }
                }
            } catch (Exception e) {
                // run over
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static Alert alert(String camera, String person, long seq) {
        Instant t = Instant.now();
        return new Alert(
                Alert.SCHEMA_VERSION,
                Alert.idFor(camera, person, seq, t.toEpochMilli()),
                camera,
                person,
                "Person " + person,
                0.7,
                0.4,
                t,
                t,
                0,
                seq,
                new FaceBox(1, 2, 30, 40),
                null);
    }

    /** Debian's mosquitto on a free loopback port, anonymous. */
    private static final class Mosquitto implements AutoCloseable {
        final int port;
        final Process process;

        Mosquitto(Path dir) throws Exception {
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path conf = dir.resolve("mosquitto.conf");
            Files.writeString(
                    conf,
                    "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\nuser "
                            + System.getProperty("user.name") + "\n");
            process = new ProcessBuilder(MOSQUITTO.toString(), "-c", conf.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("mosquitto.log").toFile())
                    .start();
            for (int i = 0; i < 100; i++) {
                try (Socket s = new Socket("127.0.0.1", port)) {
                    return;
                } catch (Exception e) {
                    Thread.sleep(50);
                }
            }
            throw new IllegalStateException("mosquitto did not start; see " + dir.resolve("mosquitto.log"));
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            process.waitFor();
        }
    }

    /** A webhook receiver that answers 200 at once. */
    private static final class HealthyReceiver implements AutoCloseable {
        final HttpServer server;

        HealthyReceiver(AlertsBench bench) throws Exception {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
            server.createContext("/hook", ex -> {
                byte[] body = ex.getRequestBody().readAllBytes();
                bench.arrived("webhook", new String(body, StandardCharsets.UTF_8));
                ex.sendResponseHeaders(200, -1);
                ex.close();
            });
            server.setExecutor(Executors.newFixedThreadPool(8));
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** Accepts connections and never answers. */
    private static final class SilentReceiver implements AutoCloseable {
        final ServerSocket server = new ServerSocket(0, 100, java.net.InetAddress.getLoopbackAddress());
        final List<Socket> accepted = new CopyOnWriteArrayList<>();

        SilentReceiver() throws Exception {
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try {
                        accepted.add(server.accept());
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            t.setDaemon(true);
            t.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getLocalPort() + "/hook";
        }

        @Override
        public void close() throws Exception {
            server.close();
            for (Socket s : accepted) {
                s.close();
            }
        }
    }
}
