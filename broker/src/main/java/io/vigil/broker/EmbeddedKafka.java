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
import java.util.ArrayList;
import java.util.List;
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
        return start(dataDir, brokerPort, controllerPort, null);
    }

    /**
     * A broker whose client listener is SASL_SSL: TLS with the given certificates, SCRAM-SHA-512 users made when the
     * storage is formatted, and Kafka's standard authorizer (nothing is allowed without an ACL, but to the admin user).
     * The KRaft controller listener stays plaintext on 127.0.0.1, for the broker's own use.
     */
    public static EmbeddedKafka startSecured(Path dataDir, Security security) {
        try {
            return start(dataDir, freePort(), freePort(), security);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * What a secured broker uses.
     *
     * @param certificates its TLS key store and the trust store clients use
     * @param users        SCRAM users (name and password); {@code admin} among them, a super user
     * @param admin        the super user's name: the broker's inter-broker principal, and the ACLs' administrator
     */
    public record Security(Certificates certificates, Map<String, String> users, String admin) {
        public Security {
            users = Map.copyOf(users);
            if (!users.containsKey(admin)) {
                throw new IllegalArgumentException("the admin user " + admin + " needs a password among the users");
            }
        }

        /** The JAAS line of a SCRAM user. */
        public String jaas(String user) {
            return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                    + "\" password=\"" + users.get(user) + "\";";
        }
    }

    private static EmbeddedKafka start(Path dataDir, int brokerPort, int controllerPort, Security security) {
        try {
            Files.createDirectories(dataDir);
            Path logDir = dataDir.resolve("log").toAbsolutePath();
            Properties props = properties(logDir, brokerPort, controllerPort);
            if (security != null) {
                secure(props, brokerPort, controllerPort, security);
            }
            if (!Files.exists(logDir.resolve("meta.properties"))) {
                format(dataDir, props, security);
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

    private static void secure(Properties p, int brokerPort, int controllerPort, Security s) {
        Certificates c = s.certificates();
        p.put("listeners", "SASL_SSL://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "SASL_SSL://127.0.0.1:" + brokerPort);
        p.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT");
        p.put("inter.broker.listener.name", "SASL_SSL");
        p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        p.put("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512");
        p.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", s.jaas(s.admin()));
        p.put("ssl.keystore.location", c.keystore().toString());
        p.put("ssl.keystore.password", c.password());
        p.put("ssl.key.password", c.password());
        p.put("ssl.keystore.type", "PKCS12");
        // the broker's own inter-broker client checks the broker's certificate too
        p.put("ssl.truststore.location", c.truststore().toString());
        p.put("ssl.truststore.password", c.password());
        p.put("ssl.truststore.type", "PKCS12");
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        // the controller listener is the broker's own, on loopback, plaintext: its principal is ANONYMOUS
        p.put("super.users", "User:" + s.admin() + ";User:ANONYMOUS");
        p.put("allow.everyone.if.no.acl.found", "false");
    }

    private static void format(Path dataDir, Properties props, Security security) throws IOException {
        Path config = dataDir.resolve("server.properties");
        try (Writer w = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
            props.store(w, "written by Vigil's embedded broker for formatting; the live config is rebuilt at start");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(
                List.of("format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(), "--ignore-formatted"));
        if (security != null) {
            security.users().forEach((user, password) -> {
                args.add("--add-scram");
                args.add("SCRAM-SHA-512=[name=" + user + ",password=" + password + "]");
            });
        }
        int rc = StorageTool.execute(args.toArray(new String[0]), new PrintStream(out, true, StandardCharsets.UTF_8));
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
