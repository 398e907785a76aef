package io.vigil.runtime.kafka;

import io.vigil.runtime.config.CommonConfig;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.HashMap;
import java.util.Map;

/** Client configs shared by every stage: reliable producers (idempotent, acks=all), manual-commit consumers. */
public final class KafkaClients {
    private KafkaClients() {}

    public static Map<String, Object> common(CommonConfig config, String clientId) {
        if (config.bootstrap() == null) {
            throw new IllegalStateException("no Kafka bootstrap servers: set VIGIL_KAFKA_BOOTSTRAP or --bootstrap");
        }
        Map<String, Object> m = new HashMap<>(config.kafka()); // security and any other client setting given
        m.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap());
        m.put(CommonClientConfigs.CLIENT_ID_CONFIG, clientId + "-" + config.instanceId());
        return m;
    }

    public static Map<String, Object> producer(CommonConfig config, String clientId) {
        Map<String, Object> m = common(config, clientId);
        m.put(ProducerConfig.ACKS_CONFIG, "all");
        m.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        m.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        m.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000);
        return m;
    }

    public static Map<String, Object> consumer(CommonConfig config, String clientId, String groupId) {
        Map<String, Object> m = common(config, clientId);
        m.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        m.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        m.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        m.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return m;
    }

    /** A consumer outside any group: it assigns itself partitions and never commits (needs only Read on topics). */
    public static Map<String, Object> reader(CommonConfig config, String clientId) {
        Map<String, Object> m = common(config, clientId);
        m.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        m.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        m.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        return m;
    }

    /** A consumer of raw bytes: stages decode records themselves, so an unreadable record fails alone. */
    public static KafkaConsumer<byte[], byte[]> byteConsumer(Map<String, Object> props) {
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** A producer of raw bytes (dead letters, pre-encoded records). */
    public static KafkaProducer<byte[], byte[]> byteProducer(Map<String, Object> props) {
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    public static Admin admin(CommonConfig config) {
        Map<String, Object> m = common(config, "vigil-admin");
        m.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000);
        return Admin.create(m);
    }
}
