package io.vigil.app.pipeline;

import io.vigil.api.audit.AuditEvent;
import io.vigil.api.topic.Topic;
import io.vigil.app.UserException;
import io.vigil.runtime.kafka.KafkaAccess;
import io.vigil.runtime.kafka.KafkaClients;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

import java.util.Map;
import java.util.concurrent.ExecutionException;

/** Writes one record and waits for the broker's acknowledgement: how the commands change cameras and the watchlist. */
public final class TopicWriter {
    private TopicWriter() {}

    /** A null value writes a tombstone. */
    public static <K, V> void write(Settings s, Topic<K, V> topic, K key, V value) {
        Map<String, Object> props = KafkaClients.producer(s.common(), "vigil-cli");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000); // a missing topic: say so in seconds, not a minute
        try (KafkaProducer<K, V> p = new KafkaProducer<>(
                props, topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            p.send(new ProducerRecord<>(topic.name(), key, value)).get();
        } catch (ExecutionException | KafkaException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new UserException(
                    "cannot write to " + topic.name() + ": " + KafkaAccess.refusal(cause, s.common(), "Write"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("interrupted");
        }
    }

    /**
     * Records a change made from the command line in the audit topic, as {@code user@host}; a failure is a warning
     * (the change itself was made).
     */
    public static void audit(Settings s, String action, String target, String detail) {
        try {
            write(
                    s,
                    s.topics().audit,
                    target,
                    new AuditEvent(System.currentTimeMillis(), cliUser(), "cli", "cli", action, target, detail));
        } catch (UserException e) {
            System.err.println("warning: the change was made but not audited: " + e.getMessage());
        }
    }

    /** Who runs the command: the OS user at this host. */
    static String cliUser() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown-host";
        }
        return System.getProperty("user.name", "unknown") + "@" + host;
    }
}
