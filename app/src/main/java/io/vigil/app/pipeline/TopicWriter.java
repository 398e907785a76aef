package io.vigil.app.pipeline;

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
}
