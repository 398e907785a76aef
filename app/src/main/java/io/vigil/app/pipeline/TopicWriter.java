package io.vigil.app.pipeline;

import io.vigil.api.topic.Topic;
import io.vigil.app.UserException;
import io.vigil.runtime.kafka.KafkaClients;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.util.concurrent.ExecutionException;

/** Writes one record and waits for the broker's acknowledgement: how the commands change cameras and the watchlist. */
public final class TopicWriter {
    private TopicWriter() {}

    /** A null value writes a tombstone. */
    public static <K, V> void write(Settings s, Topic<K, V> topic, K key, V value) {
        try (KafkaProducer<K, V> p = new KafkaProducer<>(
                KafkaClients.producer(s.common(), "vigil-cli"),
                topic.keySerde().serializer(),
                topic.valueSerde().serializer())) {
            p.send(new ProducerRecord<>(topic.name(), key, value)).get();
        } catch (ExecutionException e) {
            throw new UserException(
                    "cannot write to " + topic.name() + ": " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UserException("interrupted");
        }
    }
}
