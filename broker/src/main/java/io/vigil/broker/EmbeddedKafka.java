package io.vigil.broker;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * A real single-node Kafka (broker and KRaft controller in one process, Kafka's own {@link KafkaRaftServer}) on
 * random free ports of 127.0.0.1. The log directory is formatted once: a persistent directory keeps its topics and
 * offsets across restarts.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafka.class);

    private final Path dataDir;
    private final int brokerPort;
    private final int controllerPort;
    private final KafkaRaftServer server;
    private boolean closed;

    private EmbeddedKafka(Path dataDir, int brokerPort, int controllerPort, KafkaRaftServer server) {
        this.dataDir = dataDir;
        this.brokerPort = brokerPort;
        this.controllerPort = controllerPort;
        this.server = server;
    }

    /** Starts a broker whose data lives in {@code dataDir}, formatting it only if it has never been formatted. */
    public static EmbeddedKafka start(Path dataDir) {
        try {
            return start(dataDir, freePort(), freePort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts on the given ports: a restarted broker keeps its address, so running clients reconnect to it. */
    public static EmbeddedKafka start(Path dataDir, int brokerPort, int controllerPort) {
        try {
            Files.createDirectories(dataDir);
            Path logDir = dataDir.resolve("log").toAbsolutePath();
            Properties props = properties(logDir, brokerPort, controllerPort);
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format(dataDir, props);
            }
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
            long t0 = System.nanoTime();
            server.startup();
            LOG.info(
                    "Embedded Kafka ready on 127.0.0.1:{} in {} ms, data in {}",
                    brokerPort,
                    (System.nanoTime() - t0) / 1_000_000,
                    dataDir.toAbsolutePath());
            return new EmbeddedKafka(dataDir, brokerPort, controllerPort, server);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot prepare Kafka data directory " + dataDir + "; check that it is writable", e);
        }
    }

    /** The bootstrap servers string for clients. */
    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    public int brokerPort() {
        return brokerPort;
    }

    public int controllerPort() {
        return controllerPort;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        server.shutdown();
        server.awaitShutdown();
        LOG.info("Embedded Kafka on 127.0.0.1:{} stopped", brokerPort);
    }

    static Properties properties(Path logDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.putAll(Map.ofEntries(
                Map.entry("process.roles", "broker,controller"),
                Map.entry("node.id", "1"),
                Map.entry("controller.quorum.voters", "1@127.0.0.1:" + controllerPort),
                Map.entry(
                        "listeners",
                        "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort),
                Map.entry("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort),
                Map.entry("controller.listener.names", "CONTROLLER"),
                Map.entry("inter.broker.listener.name", "PLAINTEXT"),
                Map.entry("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT"),
                Map.entry("log.dirs", logDir.toString()),
                Map.entry("num.partitions", "1"),
                Map.entry("auto.create.topics.enable", "false"),
                Map.entry("offsets.topic.replication.factor", "1"),
                Map.entry("offsets.topic.num.partitions", "5"),
                Map.entry("transaction.state.log.replication.factor", "1"),
                Map.entry("transaction.state.log.min.isr", "1"),
                Map.entry("transaction.state.log.num.partitions", "5"),
                Map.entry("share.coordinator.state.topic.replication.factor", "1"),
                Map.entry("share.coordinator.state.topic.min.isr", "1"),
                Map.entry("group.initial.rebalance.delay.ms", "0"),
                Map.entry("message.max.bytes", String.valueOf(12 * 1024 * 1024)),
                Map.entry("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024)),
                Map.entry("log.cleaner.backoff.ms", "1000"),
                Map.entry("log.segment.bytes", String.valueOf(64 * 1024 * 1024))));
        return p;
    }

    private static void format(Path dataDir, Properties props) throws IOException {
        Path config = dataDir.resolve("server.properties");
        try (Writer w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            props.store(w, "written by Vigil's embedded broker for formatting; the live config is rebuilt at start");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = StorageTool.execute(
                new String[] {
                    "format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(), "--ignore-formatted"
                },
                new PrintStream(out, true, StandardCharsets.UTF_8));
        if (rc != 0) {
            throw new IllegalStateException("formatting Kafka storage in " + dataDir + " failed (exit " + rc + "): "
                    + out.toString(StandardCharsets.UTF_8).trim() + "; delete the directory to start afresh");
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
