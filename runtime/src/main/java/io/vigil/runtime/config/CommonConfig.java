package io.vigil.runtime.config;

import io.vigil.api.frame.CaptureWindow;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings every Vigil service shares.
 *
 * @param bootstrap         Kafka bootstrap servers, or null: then {@code vigil demo} and {@code vigil run all} start
 *                          the embedded broker
 * @param topicPrefix       prefix of every topic name
 * @param replicationFactor replication factor of topics that topic setup creates
 * @param instanceId        this process's name in metrics, logs and camera status
 * @param httpHost          address the metrics/health server binds to
 * @param httpPort          its port; 0 picks a free one
 * @param home              where the demo keeps its broker data and state stores
 * @param captureWindow     the capture times inference and the matcher accept
 */
public record CommonConfig(
        String bootstrap,
        String topicPrefix,
        short replicationFactor,
        String instanceId,
        String httpHost,
        int httpPort,
        Path home,
        CaptureWindow captureWindow) {

    public static CommonConfig from(ConfigReader r) {
        // read by logback.xml and by the ./vigil launcher, not here: named so they are not reported as unknown
        r.string("VIGIL_LOG_LEVEL", null);
        r.string("VIGIL_JAVA_OPTS", null);
        String prefix = r.string("VIGIL_TOPIC_PREFIX", "vigil.");
        if (!prefix.matches("[A-Za-z0-9._-]*")) {
            r.problem("VIGIL_TOPIC_PREFIX=" + prefix + " is invalid: use only A-Z a-z 0-9 . _ - (default vigil.)");
        }
        return new CommonConfig(
                r.string("VIGIL_KAFKA_BOOTSTRAP", null),
                prefix,
                (short) r.intValue("VIGIL_KAFKA_REPLICATION_FACTOR", 1, 1, 7),
                r.string("VIGIL_INSTANCE_ID", defaultInstanceId()),
                r.string("VIGIL_HTTP_HOST", "0.0.0.0"),
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
                                Duration.ofHours(1))));
    }

    public CommonConfig withBootstrap(String servers) {
        return new CommonConfig(
                servers, topicPrefix, replicationFactor, instanceId, httpHost, httpPort, home, captureWindow);
    }

    public CommonConfig withHttpPort(int port) {
        return new CommonConfig(
                bootstrap, topicPrefix, replicationFactor, instanceId, httpHost, port, home, captureWindow);
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
