package io.vigil.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.api.alert.Alert;
import io.vigil.broker.EmbeddedKafka;
import io.vigil.broker.EmbeddedKafkaExtension;
import io.vigil.runtime.http.HttpEndpoint;
import io.vigil.runtime.metrics.Metrics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** The live stream and page see every alert whatever the number of replicas, and a reconnecting client misses none. */
@ExtendWith(EmbeddedKafkaExtension.class)
class AlertsFanOutIT {

    @Test
    void oneStreamClientOfThreeReplicasReceivesEveryAlertOnTheTopic(EmbeddedKafka kafka) throws Exception {
        AlertsIT.Env env = AlertsIT.env(kafka, "fan1.");
        List<HttpEndpoint> https = new ArrayList<>();
        List<AlertsStage> stages = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                HttpEndpoint http = new HttpEndpoint("127.0.0.1", 0, Metrics.prometheus("alerts", "r" + i));
                https.add(http);
                AlertsStage stage =
                        env.stage(Map.of("VIGIL_ALERTS_TOKEN", AlertsIT.TOKEN), new SimpleMeterRegistry(), http);
                stages.add(stage);
                stage.start();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> stages.stream().allMatch(AlertsStage::ready));
            List<String> received = new CopyOnWriteArrayList<>();
            HttpClient client = HttpClient.newHttpClient();
            Thread sse = AlertsIT.sse(
                    client, "http://127.0.0.1:" + https.get(1).port() + "/alerts/stream", AlertsIT.TOKEN, received);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> stages.get(1).hub().subscribers() == 1);

            List<Alert> sent = new ArrayList<>();
            for (int i = 0; i < 60; i++) {
                sent.add(AlertsIT.alert("cam-" + (i % 12), "p-" + i, i));
            }
            env.publish(sent.toArray(Alert[]::new));
            long onTopic = countRecords(kafka, env.topics().alerts.name());
            assertThat(onTopic).isEqualTo(60);
            await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= onTopic);
            assertThat(received)
                    .as("every alert on the topic, once, though the group gives this replica about a third")
                    .containsExactlyInAnyOrderElementsOf(
                            sent.stream().map(Alert::alertId).toList());
            for (AlertsStage stage : stages) {
                assertThat(stage.hub().recent(100, null, null)).hasSize(60);
            }
            sse.interrupt();
        } finally {
            for (AlertsStage s : stages) {
                s.close();
            }
            for (HttpEndpoint h : https) {
                h.close();
            }
        }
    }

    @Test
    void aClientReconnectingWithLastEventIdGetsWhatItMissedInOrder(EmbeddedKafka kafka) throws Exception {
        AlertsIT.Env env = AlertsIT.env(kafka, "fan2.");
        try (HttpEndpoint http = new HttpEndpoint("127.0.0.1", 0, Metrics.prometheus("alerts", "t"));
                AlertsStage stage =
                        env.stage(Map.of("VIGIL_ALERTS_TOKEN", AlertsIT.TOKEN), new SimpleMeterRegistry(), http)) {
            stage.start();
            await().atMost(Duration.ofSeconds(60)).until(stage::ready);
            String url = "http://127.0.0.1:" + http.port() + "/alerts/stream";
            List<Alert> first = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                first.add(AlertsIT.alert("gate", "p-" + i, i));
            }
            env.publish(first.toArray(Alert[]::new));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> stage.hub().holds(first.get(4).alertId()));

            // away while five more come (one camera: one partition, so the order is the topic's)
            List<Alert> missed = new ArrayList<>();
            for (int i = 5; i < 10; i++) {
                missed.add(AlertsIT.alert("gate", "p-" + i, i));
            }
            env.publish(missed.toArray(Alert[]::new));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> stage.hub().holds(missed.get(4).alertId()));

            List<String> replayed = readIds(url, first.get(4).alertId(), 5);
            assertThat(replayed)
                    .containsExactlyElementsOf(
                            missed.stream().map(Alert::alertId).toList());
            assertThat(readIds(url, "4d2b9e7f-0000-0000-0000-000000000000", 0))
                    .as("an id the service does not hold replays nothing")
                    .isEmpty();
        }
    }

    /** Connects with a Last-Event-ID and returns the ids of the first {@code count} events (waiting up to 3 s). */
    private static List<String> readIds(String url, String lastEventId, int count) throws Exception {
        List<String> ids = new CopyOnWriteArrayList<>();
        HttpResponse<InputStream> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url))
                                .header("Authorization", "Bearer " + AlertsIT.TOKEN)
                                .header("Last-Event-ID", lastEventId)
                                .build(),
                        HttpResponse.BodyHandlers.ofInputStream());
        Thread reader = new Thread(() -> {
            try {
                AlertsIT.collectIds(r.body(), ids);
            } catch (Exception e) {
                // closed
            }
        });
        reader.setDaemon(true);
        reader.start();
        long until = System.currentTimeMillis() + 3_000;
        while (ids.size() < count + 1 && System.currentTimeMillis() < until) {
            Thread.sleep(50);
        }
        r.body().close();
        return List.copyOf(ids);
    }

    static long countRecords(EmbeddedKafka kafka, String topic) {
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed"),
                new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> tps = c.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            long n = 0;
            for (var e : c.endOffsets(tps).entrySet()) {
                n += e.getValue() - c.beginningOffsets(List.of(e.getKey())).get(e.getKey());
            }
            return n;
        }
    }
}
