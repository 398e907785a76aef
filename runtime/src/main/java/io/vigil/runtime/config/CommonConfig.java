package io.vigil.runtime.config;

import io.vigil.api.frame.CaptureWindow;
import io.vigil.api.topic.TopicPolicy;
import io.vigil.runtime.http.HttpLimits;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Settings every Vigil service shares.
 *
 * @param bootstrap         Kafka bootstrap servers, or null: then {@code vigil demo} and {@code vigil run all} start
 *                          the embedded broker
 * @param topicPrefix       prefix of every topic name
 * @param replicationFactor replication factor of topics that topic setup creates
 * @param instanceId        this process's name in metrics, logs and camera status
 * @param httpHost          address the HTTP server (metrics, health, the alerts page) binds to; loopback by default,
 *                          {@code 0.0.0.0} to be reachable (the alerts service then requires a token)
 * @param httpPort          its port; 0 picks a free one
 * @param home              where the demo keeps its broker data and state stores
 * @param captureWindow     the capture times inference and the matcher accept
 * @param topicsSetup       whether a starting process creates missing topics ({@code VIGIL_TOPICS_SETUP=create}, the
 *                          default) or leaves topics to an administrator's {@code vigil topics} ({@code none}: stages
 *                          whose principals may not create topics)
 * @param topicPolicy       retention of each topic, the watchlist's erasure lag, and durability by replication factor
 * @param kafka             Kafka client settings for every client of this process ({@code VIGIL_KAFKA_} + the
 *                          setting's name in capitals with underscores, e.g. {@code VIGIL_KAFKA_SECURITY_PROTOCOL})
 * @param httpLimits        what one HTTP client may hold: threads, streams, connections, timeouts
 */
public record CommonConfig(
        String bootstrap,
        String topicPrefix,
        short replicationFactor,
        String instanceId,
        String httpHost,
        int httpPort,
        Path home,
        CaptureWindow captureWindow,
        boolean topicsSetup,
        TopicPolicy topicPolicy,
        Map<String, String> kafka,
        HttpLimits httpLimits) {
    /** Vigil settings under the Kafka prefix that are not client settings. */
    private static final Set<String> NOT_CLIENT_SETTINGS =
            Set.of("VIGIL_KAFKA_BOOTSTRAP", "VIGIL_KAFKA_REPLICATION_FACTOR");

    public CommonConfig {
        kafka = Map.copyOf(kafka);
    }

    /** The settings without any Kafka client setting (plaintext, as before). */
    public CommonConfig(
            String bootstrap,
            String topicPrefix,
            short replicationFactor,
            String instanceId,
            String httpHost,
            int httpPort,
            Path home,
            CaptureWindow captureWindow) {
        this(
                bootstrap,
                topicPrefix,
                replicationFactor,
                instanceId,
                httpHost,
                httpPort,
                home,
                captureWindow,
                true,
                TopicPolicy.DEFAULT,
                Map.of(),
                HttpLimits.DEFAULT);
    }

    public static CommonConfig from(ConfigReader r) {
        // read by logback.xml and by the ./vigil launcher, not here: named so they are not reported as unknown
        r.string("VIGIL_LOG_LEVEL", null);
        r.string("VIGIL_JAVA_OPTS", null);
        String prefix = r.string("VIGIL_TOPIC_PREFIX", "vigil.");
        if (!prefix.matches("[A-Za-z0-9._-]*")) {
            r.problem("VIGIL_TOPIC_PREFIX=" + prefix + " is invalid: use only A-Z a-z 0-9 . _ - (default vigil.)");
        }
        short replicationFactor = (short) r.intValue("VIGIL_KAFKA_REPLICATION_FACTOR", 1, 1, 7);
        return new CommonConfig(
                r.string("VIGIL_KAFKA_BOOTSTRAP", null),
                prefix,
                replicationFactor,
                r.string("VIGIL_INSTANCE_ID", defaultInstanceId()),
                r.string("VIGIL_HTTP_HOST", "127.0.0.1"),
                r.intValue("VIGIL_HTTP_PORT", 9400, 0, 65535),
                Path.of(r.string(
                        "VIGIL_HOME",
                        Path.of(System.getProperty("user.home"), ".vigil").toString())),
                new CaptureWindow(
                        r.duration(
                                "VIGIL_CAPTURE_MAX_AGE",
                                CaptureWindow.DEFAULT.maxAge(),
                                Duration.ofMinutes(1),
                                Duration.ofDays(365)),
                        r.duration(
                                "VIGIL_CAPTURE_MAX_SKEW",
                                CaptureWindow.DEFAULT.maxSkew(),
                                Duration.ZERO,
                                Duration.ofHours(1))),
                r.enumValue("VIGIL_TOPICS_SETUP", TopicsSetup.class, TopicsSetup.CREATE) == TopicsSetup.CREATE,
                topicPolicy(r, replicationFactor),
                kafkaClientSettings(r),
                httpLimits(r));
    }

    private static TopicPolicy topicPolicy(ConfigReader r, short replicationFactor) {
        TopicPolicy d = TopicPolicy.DEFAULT;
        Duration year = Duration.ofDays(365);
        return new TopicPolicy(
                r.duration("VIGIL_RETENTION_FRAMES", d.frames(), Duration.ofMinutes(1), year),
                r.duration("VIGIL_RETENTION_FACES", d.faces(), Duration.ofMinutes(1), year),
                r.duration("VIGIL_RETENTION_ALERTS", d.alerts(), Duration.ofMinutes(1), year),
                r.duration("VIGIL_RETENTION_DLQ", d.dlq(), Duration.ofMinutes(1), year),
                r.duration("VIGIL_RETENTION_CAMERA_STATUS", d.cameraStatus(), Duration.ofMinutes(1), year),
                r.duration(
                        "VIGIL_RETENTION_ENROLMENT_PHOTOS",
                        d.enrolmentPhotos(),
                        Duration.ofHours(1),
                        Duration.ofDays(3650)),
                r.duration("VIGIL_RETENTION_AUDIT", d.audit(), Duration.ofHours(1), Duration.ofDays(3650)),
                r.duration(
                        "VIGIL_WATCHLIST_ERASURE_LAG",
                        d.watchlistErasureLag(),
                        Duration.ofSeconds(1),
                        Duration.ofDays(30)),
                replicationFactor);
    }

    private static HttpLimits httpLimits(ConfigReader r) {
        HttpLimits d = HttpLimits.DEFAULT;
        return new HttpLimits(
                r.intValue("VIGIL_HTTP_THREADS", d.threads(), 2, 512),
                r.intValue("VIGIL_HTTP_MAX_STREAMS", d.maxStreams(), 0, 10_000),
                r.intValue("VIGIL_HTTP_MAX_CONNECTIONS", d.maxConnections(), 16, 1_000_000),
                r.duration("VIGIL_HTTP_IDLE_TIMEOUT", d.idleTimeout(), Duration.ofSeconds(1), Duration.ofMinutes(30)),
                r.duration(
                        "VIGIL_HTTP_HEADER_TIMEOUT", d.headerTimeout(), Duration.ofMillis(100), Duration.ofMinutes(5)),
                r.intValue("VIGIL_HTTP_MAX_HEADER_BYTES", d.maxHeaderBytes(), 1024, 65_536));
    }

    private static Map<String, String> kafkaClientSettings(ConfigReader r) {
        Map<String, String> settings = r.prefixed("VIGIL_KAFKA_", NOT_CLIENT_SETTINGS);
        Set<String> known = new HashSet<>(ProducerConfig.configNames());
        known.addAll(ConsumerConfig.configNames());
        known.addAll(AdminClientConfig.configNames());
        for (String name : settings.keySet()) {
            boolean extension =
                    name.startsWith("sasl.") || name.startsWith("ssl.") || name.startsWith("config.providers");
            if (!known.contains(name) && !extension) {
                r.problem("VIGIL_KAFKA_" + name.toUpperCase(Locale.ROOT).replace('.', '_') + " names '" + name
                        + "', which is not a Kafka client setting; write VIGIL_KAFKA_ followed by the setting's name in"
                        + " capitals with underscores, e.g. VIGIL_KAFKA_SECURITY_PROTOCOL for security.protocol");
            }
        }
        return settings;
    }

    public CommonConfig withBootstrap(String servers) {
        return new CommonConfig(
                servers,
                topicPrefix,
                replicationFactor,
                instanceId,
                httpHost,
                httpPort,
                home,
                captureWindow,
                topicsSetup,
                topicPolicy,
                kafka,
                httpLimits);
    }

    public CommonConfig withHttpPort(int port) {
        return new CommonConfig(
                bootstrap,
                topicPrefix,
                replicationFactor,
                instanceId,
                httpHost,
                port,
                home,
                captureWindow,
                topicsSetup,
                topicPolicy,
                kafka,
                httpLimits);
    }

    /** What a starting process does about topics. */
    enum TopicsSetup {
        CREATE,
        NONE
    }

    static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "localhost";
        }
        return host + "-" + ManagementFactory.getRuntimeMXBean().getPid();
    }
}
