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

    @Test
    void aSecuredBrokerAuthenticatesOverTlsAndAllowsOnlyWhatAnAclGrants() throws Exception {
        Path dir = Path.of("target", "secured-" + UUID.randomUUID()).toAbsolutePath();
        Certificates certs = Certificates.create(dir.resolve("tls"));
        EmbeddedKafka.Security security =
                new EmbeddedKafka.Security(certs, Map.of("admin", "admin-secret", "reader", "reader-secret"), "admin");
        try (EmbeddedKafka kafka = EmbeddedKafka.startSecured(dir.resolve("kafka"), security);
                Admin admin = Admin.create(client(kafka, security, "admin"));
                Admin reader = Admin.create(client(kafka, security, "reader"))) {
            admin.createTopics(List.of(new NewTopic("secret", 1, (short) 1)))
                    .all()
                    .get();
            assertThat(admin.listTopics().names().get()).contains("secret");
            // no ACL: the reader does not even see the topic
            assertThat(reader.listTopics().names().get()).doesNotContain("secret");
            admin.createAcls(List.of(new org.apache.kafka.common.acl.AclBinding(
                            new org.apache.kafka.common.resource.ResourcePattern(
                                    org.apache.kafka.common.resource.ResourceType.TOPIC,
                                    "secret",
                                    org.apache.kafka.common.resource.PatternType.LITERAL),
                            new org.apache.kafka.common.acl.AccessControlEntry(
                                    "User:reader",
                                    "*",
                                    org.apache.kafka.common.acl.AclOperation.DESCRIBE,
                                    org.apache.kafka.common.acl.AclPermissionType.ALLOW))))
                    .all()
                    .get();
            org.awaitility.Awaitility.await()
                    .atMost(java.time.Duration.ofSeconds(20))
                    .until(() -> reader.listTopics().names().get().contains("secret"));
            Map<String, Object> wrong = client(kafka, security, "reader");
            wrong.put("sasl.jaas.config", security.jaas("reader").replace("reader-secret", "guess"));
            try (Admin intruder = Admin.create(wrong)) {
                assertThat(org.assertj.core.api.Assertions.catchThrowable(
                                () -> intruder.listTopics().names().get()))
                        .hasRootCauseInstanceOf(org.apache.kafka.common.errors.SaslAuthenticationException.class);
            }
        }
    }

    private static Map<String, Object> client(EmbeddedKafka kafka, EmbeddedKafka.Security s, String user) {
        Map<String, Object> m = new java.util.HashMap<>();
        m.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        m.put("security.protocol", "SASL_SSL");
        m.put("sasl.mechanism", "SCRAM-SHA-512");
        m.put("sasl.jaas.config", s.jaas(user));
        m.put("ssl.truststore.location", s.certificates().truststore().toString());
        m.put("ssl.truststore.password", s.certificates().password());
        m.put("ssl.truststore.type", "PKCS12");
        return m;
    }
}
