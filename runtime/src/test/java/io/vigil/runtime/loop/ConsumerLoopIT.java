package io.vigil.runtime.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vigil.api.topic.DeadLetters;
import io.vigil.broker.EmbeddedKafka;
import io.vigil.broker.EmbeddedKafkaExtension;
import io.vigil.runtime.kafka.DeadLetterPublisher;
import io.vigil.runtime.kafka.KafkaClients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** The supervised loop against the real broker: per-record isolation, commits after completion, retries, liveness. */
@ExtendWith(EmbeddedKafkaExtension.class)
class ConsumerLoopIT {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    private record Env(String bootstrap, String topic, String dlq, String group) {
        Map<String, Object> consumer() {
            Map<String, Object> m = new HashMap<>();
            m.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            m.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            m.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            m.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            return m;
        }

        Map<String, Object> producer() {
            return Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        }
    }

    private static Env env(EmbeddedKafka kafka) throws Exception {
        String id = UUID.randomUUID().toString().substring(0, 8);
        Env e = new Env(kafka.bootstrapServers(), "loop-" + id, "loop-dlq-" + id, "group-" + id);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, e.bootstrap()))) {
            admin.createTopics(List.of(new NewTopic(e.topic(), 1, (short) 1), new NewTopic(e.dlq(), 1, (short) 1)))
                    .all()
                    .get();
        }
        return e;
    }

    private static void send(Env e, String... values) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = KafkaClients.byteProducer(new HashMap<>(e.producer()))) {
            for (String v : values) {
                p.send(new ProducerRecord<>(
                                e.topic(), "k".getBytes(StandardCharsets.UTF_8), v.getBytes(StandardCharsets.UTF_8)))
                        .get();
            }
        }
    }

    private ConsumerLoop loop(
            Env e, LoopSettings settings, RecordHandler handler, KafkaProducer<byte[], byte[]> dlqProducer) {
        return new ConsumerLoop(
                settings,
                () -> KafkaClients.byteConsumer(e.consumer()),
                handler,
                new DeadLetterPublisher(dlqProducer, e.dlq(), "test", registry),
                registry);
    }

    private static LoopSettings settings(Env e) {
        return LoopSettings.committing("test-loop", e.topic())
                .withPollTimeout(Duration.ofMillis(100))
                .withBackoff(Duration.ofMillis(50), Duration.ofMillis(200))
                .withDrainTimeout(Duration.ofSeconds(5));
    }

    private static long committed(Env e) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, e.bootstrap()))) {
            OffsetAndMetadata o = admin.listConsumerGroupOffsets(e.group())
                    .partitionsToOffsetAndMetadata()
                    .get()
                    .get(new TopicPartition(e.topic(), 0));
            return o == null ? 0 : o.offset();
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> deadLetters(Env e, int atLeast) {
        List<ConsumerRecord<byte[], byte[]>> out = new CopyOnWriteArrayList<>();
        Map<String, Object> c = e.consumer();
        c.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + UUID.randomUUID());
        try (KafkaConsumer<byte[], byte[]> reader = KafkaClients.byteConsumer(c)) {
            reader.subscribe(List.of(e.dlq()));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                reader.poll(Duration.ofMillis(100)).forEach(out::add);
                assertThat(out).hasSizeGreaterThanOrEqualTo(atLeast);
            });
        }
        return out;
    }

    private static String header(ConsumerRecord<byte[], byte[]> r, String key) {
        return new String(r.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
    }

    @Test
    void refusedAndFailingRecordsAreDeadLetteredWhileTheRestIsProcessed(EmbeddedKafka kafka) throws Exception {
        Env e = env(kafka);
        send(e, "ok-1", "refuse", "throw", "ok-2");
        List<String> processed = new CopyOnWriteArrayList<>();
        RecordHandler handler = r -> {
            String v = new String(r.value(), StandardCharsets.UTF_8);
            if (v.equals("refuse")) {
                throw new RejectedRecordException("not-wanted", "the test refuses it");
            }
            if (v.equals("throw")) {
                throw new IllegalStateException("a bug in the stage");
            }
            processed.add(v);
            return null;
        };
        try (KafkaProducer<byte[], byte[]> dlq = KafkaClients.byteProducer(new HashMap<>(e.producer()));
                ConsumerLoop loop = loop(e, settings(e), handler, dlq).start()) {
            List<ConsumerRecord<byte[], byte[]>> dead = deadLetters(e, 2);
            assertThat(dead)
                    .extracting(r -> header(r, DeadLetters.REASON))
                    .containsExactly("not-wanted", "processing-failed");
            assertThat(dead)
                    .extracting(r -> header(r, DeadLetters.DETAIL))
                    .containsExactly("the test refuses it", "IllegalStateException: a bug in the stage");
            assertThat(dead)
                    .extracting(r -> header(r, DeadLetters.SOURCE_OFFSET))
                    .containsExactly("1", "2");
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(committed(e)).isEqualTo(4));
            assertThat(processed).containsExactly("ok-1", "ok-2");
            assertThat(loop.live()).isTrue();
            assertThat(registry.get("vigil.dlq.records")
                            .tag("reason", "not-wanted")
                            .counter()
                            .count())
                    .isEqualTo(1);
        }
    }

    @Test
    void anOffsetIsCommittedOnlyOnceItsRecordAndEveryEarlierOneHaveFinished(EmbeddedKafka kafka) throws Exception {
        Env e = env(kafka);
        send(e, "a", "b", "c");
        Map<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
        RecordHandler handler = r ->
                pending.computeIfAbsent(new String(r.value(), StandardCharsets.UTF_8), k -> new CompletableFuture<>());
        try (KafkaProducer<byte[], byte[]> dlq = KafkaClients.byteProducer(new HashMap<>(e.producer()));
                ConsumerLoop loop = loop(e, settings(e), handler, dlq).start()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> pending.size() == 3);
            pending.get("b").complete(null);
            pending.get("c").complete(null);
            // the commit interval is 1 s: a commit of "b" or "c" would show within this
            await().during(Duration.ofMillis(1_500))
                    .atMost(Duration.ofSeconds(3))
                    .until(() -> committed(e) == 0);
            assertThat(loop.inFlight()).isEqualTo(1);
            pending.get("a").complete(null);
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(committed(e)).isEqualTo(3));
        }
    }

    @Test
    void aRecordWhoseSendFailedRetriablyIsReadAgainNotSkipped(EmbeddedKafka kafka) throws Exception {
        Env e = env(kafka);
        send(e, "x", "y");
        AtomicInteger attemptsOfX = new AtomicInteger();
        List<String> done = new CopyOnWriteArrayList<>();
        RecordHandler handler = r -> {
            String v = new String(r.value(), StandardCharsets.UTF_8);
            if (v.equals("x") && attemptsOfX.incrementAndGet() == 1) {
                return CompletableFuture.failedFuture(new TimeoutException("the broker did not acknowledge in time"));
            }
            done.add(v);
            return null;
        };
        try (KafkaProducer<byte[], byte[]> dlq = KafkaClients.byteProducer(new HashMap<>(e.producer()));
                ConsumerLoop loop = loop(e, settings(e), handler, dlq).start()) {
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(committed(e)).isEqualTo(2));
            assertThat(attemptsOfX.get()).isEqualTo(2);
            assertThat(done).contains("x", "y");
            assertThat(registry.get("vigil.loop.retries")
                            .tag("reason", "send")
                            .counter()
                            .count())
                    .isEqualTo(1);
            assertThat(loop.live()).isTrue();
        }
    }

    @Test
    void aFatalErrorKillsTheLoopAndItIsNoLongerLive(EmbeddedKafka kafka) throws Exception {
        Env e = env(kafka);
        send(e, "boom");
        RecordHandler handler = r -> {
            throw new OutOfMemoryError("simulated: the JVM cannot go on");
        };
        try (KafkaProducer<byte[], byte[]> dlq = KafkaClients.byteProducer(new HashMap<>(e.producer()));
                ConsumerLoop loop = loop(e, settings(e), handler, dlq).start()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> loop.failure() != null);
            assertThat(loop.live()).isFalse();
            assertThat(loop.failure()).isInstanceOf(OutOfMemoryError.class);
            assertThat(registry.get("vigil.loop.live")
                            .tag("loop", "test-loop")
                            .gauge()
                            .value())
                    .isZero();
            assertThat(committed(e)).isZero();
        }
    }

    @Test
    void aStuckLoopIsNotLiveUntilItMovesAgain(EmbeddedKafka kafka) throws Exception {
        Env e = env(kafka);
        send(e, "slow");
        CountDownLatch release = new CountDownLatch(1);
        RecordHandler handler = r -> {
            release.await();
            return null;
        };
        LoopSettings s = settings(e).withStuckAfter(Duration.ofMillis(500));
        try (KafkaProducer<byte[], byte[]> dlq = KafkaClients.byteProducer(new HashMap<>(e.producer()));
                ConsumerLoop loop = loop(e, s, handler, dlq).start()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> !loop.live());
            release.countDown();
            await().atMost(Duration.ofSeconds(20)).until(loop::live);
            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(committed(e)).isEqualTo(1));
        }
    }

    @Test
    void pausesWhileTooMuchIsInFlightAndResumesAfter(EmbeddedKafka kafka) throws Exception {
        Env e = env(kafka);
        String[] values = new String[20];
        for (int i = 0; i < values.length; i++) {
            values[i] = "v" + i;
        }
        send(e, values);
        Map<String, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
        Function<ConsumerRecord<byte[], byte[]>, CompletableFuture<Void>> hold = r ->
                pending.computeIfAbsent(new String(r.value(), StandardCharsets.UTF_8), k -> new CompletableFuture<>());
        RecordHandler handler = hold::apply;
        Map<String, Object> c = e.consumer();
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2);
        LoopSettings s = settings(e).withMaxInFlight(4);
        try (KafkaProducer<byte[], byte[]> dlq = KafkaClients.byteProducer(new HashMap<>(e.producer()));
                ConsumerLoop loop = new ConsumerLoop(
                                s,
                                () -> KafkaClients.byteConsumer(c),
                                handler,
                                new DeadLetterPublisher(dlq, e.dlq(), "test", registry),
                                registry)
                        .start()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> pending.size() >= 4);
            // paused at 4 in flight (one more poll of 2 may already be under way)
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> pending.size() <= 6);
            Set.copyOf(pending.values()).forEach(f -> f.complete(null));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                Set.copyOf(pending.values()).forEach(f -> f.complete(null));
                assertThat(pending).hasSize(20);
                assertThat(committed(e)).isEqualTo(20);
            });
        }
    }
}
