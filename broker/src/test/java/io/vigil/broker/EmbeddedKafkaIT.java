package io.vigil.broker;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

class EmbeddedKafkaIT {

    @Test
    void keepsTopicsAcrossARestartOnThePersistentDirectory() throws Exception {
        Path dir = Path.of("target", "restart-" + UUID.randomUUID());
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir);
                Admin admin =
                        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("kept", 2, (short) 1)))
                    .all()
                    .get();
        }
        byte[] meta = Files.readAllBytes(dir.resolve("log/meta.properties"));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dir);
                Admin admin =
                        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            assertThat(admin.listTopics().names().get()).contains("kept");
        }
        assertThat(Files.readAllBytes(dir.resolve("log/meta.properties")))
                .as("formatted only once")
                .isEqualTo(meta);
    }
}
