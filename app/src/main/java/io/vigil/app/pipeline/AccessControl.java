package io.vigil.app.pipeline;

import io.vigil.alerts.AlertsStage;
import io.vigil.api.topic.VigilTopics;
import io.vigil.inference.InferenceStage;
import io.vigil.ingest.IngestStage;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Least privilege, written once: the exact ACLs each Vigil role needs, for its own principal. {@code vigil acls}
 * prints them as {@code kafka-acls} commands (or applies them), the README lists them, and the secured integration
 * test runs every stage with exactly these and nothing more.
 */
public final class AccessControl {
    /** Who uses Kafka, each as its own principal. */
    public enum Role {
        INGEST,
        INFERENCE,
        MATCHER,
        ALERTS,
        /** The console service: what operators do with the CLI, for its API's callers, and the frames for snapshots. */
        CONSOLE,
        /** People with the CLI: cameras and the watchlist, and reading what Vigil reports. */
        OPERATOR,
        /** {@code vigil topics}: creating Vigil's topics and changing their settings, nothing else. */
        TOPICS;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private AccessControl() {}

    /** The ACLs {@code principal} needs to act as {@code role} in the deployment these settings describe. */
    public static List<AclBinding> acls(Role role, String principal, Settings settings) {
        VigilTopics t = settings.topics();
        List<AclBinding> out = new ArrayList<>();
        switch (role) {
            case INGEST -> {
                topic(out, principal, t.cameras.name(), AclOperation.READ, AclOperation.DESCRIBE);
                group(out, principal, IngestStage.GROUP);
                topic(out, principal, t.frames.name(), AclOperation.WRITE, AclOperation.DESCRIBE);
                topic(out, principal, t.cameraStatus.name(), AclOperation.WRITE, AclOperation.DESCRIBE);
                topic(out, principal, t.dlq.name(), AclOperation.WRITE, AclOperation.DESCRIBE);
            }
            case INFERENCE -> {
                topic(out, principal, t.frames.name(), AclOperation.READ, AclOperation.DESCRIBE);
                group(out, principal, InferenceStage.GROUP);
                topic(out, principal, t.faces.name(), AclOperation.WRITE, AclOperation.DESCRIBE);
                topic(out, principal, t.dlq.name(), AclOperation.WRITE, AclOperation.DESCRIBE);
            }
            case MATCHER -> {
                String app = settings.matcher().applicationId();
                topic(out, principal, t.faces.name(), AclOperation.READ, AclOperation.DESCRIBE);
                // write: after a removal it appends an erasure tick, so the removed person is compacted away in time
                topic(out, principal, t.watchlist.name(), AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE);
                // write only: the same erasure tick on the enrolment photos (it never reads them)
                topic(out, principal, t.enrolmentPhotos.name(), AclOperation.WRITE, AclOperation.DESCRIBE);
                topic(out, principal, t.alerts.name(), AclOperation.WRITE, AclOperation.DESCRIBE);
                topic(out, principal, t.dlq.name(), AclOperation.WRITE, AclOperation.DESCRIBE);
                group(out, principal, app);
                // Kafka Streams' internal topics (the cooldown store's changelog) and transactions (exactly once)
                out.add(binding(ResourceType.TOPIC, app + "-", PatternType.PREFIXED, principal, AclOperation.ALL));
                out.add(binding(
                        ResourceType.TRANSACTIONAL_ID, app + "-", PatternType.PREFIXED, principal, AclOperation.WRITE));
                out.add(binding(
                        ResourceType.TRANSACTIONAL_ID,
                        app + "-",
                        PatternType.PREFIXED,
                        principal,
                        AclOperation.DESCRIBE));
            }
            case ALERTS -> {
                topic(out, principal, t.alerts.name(), AclOperation.READ, AclOperation.DESCRIBE);
                group(out, principal, AlertsStage.GROUP);
                group(out, principal, AlertsStage.MQTT_GROUP);
                // the whole frame of an alert, as evidence (GET /alerts/{id}/frame)
                topic(out, principal, t.frames.name(), AclOperation.READ, AclOperation.DESCRIBE);
                topic(out, principal, t.dlq.name(), AclOperation.WRITE, AclOperation.DESCRIBE);
            }
            case OPERATOR, CONSOLE -> {
                topic(out, principal, t.cameras.name(), AclOperation.WRITE, AclOperation.READ, AclOperation.DESCRIBE);
                topic(out, principal, t.watchlist.name(), AclOperation.WRITE, AclOperation.READ, AclOperation.DESCRIBE);
                topic(
                        out,
                        principal,
                        t.enrolmentPhotos.name(),
                        AclOperation.WRITE,
                        AclOperation.READ,
                        AclOperation.DESCRIBE);
                topic(out, principal, t.cameraStatus.name(), AclOperation.READ, AclOperation.DESCRIBE);
                topic(out, principal, t.alerts.name(), AclOperation.READ, AclOperation.DESCRIBE);
                // every change is audited; `vigil audit tail` reads it
                topic(out, principal, t.audit.name(), AclOperation.WRITE, AclOperation.READ, AclOperation.DESCRIBE);
                if (role == Role.CONSOLE) {
                    // a camera's latest frame (GET /api/v1/cameras/{id}/snapshot)
                    topic(out, principal, t.frames.name(), AclOperation.READ, AclOperation.DESCRIBE);
                }
            }
            case TOPICS -> {
                String prefix = settings.common().topicPrefix();
                for (AclOperation op : List.of(
                        AclOperation.CREATE,
                        AclOperation.DESCRIBE,
                        AclOperation.DESCRIBE_CONFIGS,
                        AclOperation.ALTER_CONFIGS,
                        AclOperation.ALTER)) {
                    out.add(binding(ResourceType.TOPIC, prefix, PatternType.PREFIXED, principal, op));
                }
            }
        }
        return out;
    }

    /** The ACL as a {@code kafka-acls} command line. */
    public static String command(AclBinding b, String bootstrap) {
        ResourcePattern r = b.pattern();
        String resource = switch (r.resourceType()) {
            case TOPIC -> "--topic " + r.name();
            case GROUP -> "--group " + r.name();
            case TRANSACTIONAL_ID -> "--transactional-id " + r.name();
            case CLUSTER -> "--cluster";
            default -> "--" + r.resourceType().name().toLowerCase(Locale.ROOT) + " " + r.name();
        };
        String pattern = r.patternType() == PatternType.PREFIXED ? " --resource-pattern-type prefixed" : "";
        String op = b.entry().operation().name();
        return "kafka-acls --bootstrap-server " + bootstrap + " --add --allow-principal "
                + b.entry().principal()
                + " --operation " + op.charAt(0)
                + op.substring(1).toLowerCase(Locale.ROOT).replace("_c", "C")
                + " " + resource + pattern;
    }

    /**
     * A Strimzi {@code KafkaUser} (SCRAM-SHA-512, simple authorization) holding these ACLs: the same ACLs, for a
     * cluster Strimzi manages. Strimzi puts the user's {@code sasl.jaas.config} in a Secret of the user's name.
     */
    public static String strimziUser(String user, String namespace, String cluster, List<AclBinding> acls) {
        StringBuilder y = new StringBuilder();
        y.append("apiVersion: kafka.strimzi.io/v1beta2\nkind: KafkaUser\nmetadata:\n  name: ")
                .append(user)
                .append("\n  namespace: ")
                .append(namespace)
                .append("\n  labels: {strimzi.io/cluster: ")
                .append(cluster)
                .append("}\nspec:\n")
                .append("  authentication: {type: scram-sha-512}\n  authorization:\n    type: simple\n    acls:\n");
        for (AclBinding b : acls) {
            ResourcePattern r = b.pattern();
            String type = switch (r.resourceType()) {
                case TOPIC -> "topic";
                case GROUP -> "group";
                case TRANSACTIONAL_ID -> "transactionalId";
                default -> "cluster";
            };
            String op = b.entry().operation().name();
            String operation =
                    op.charAt(0) + op.substring(1).toLowerCase(Locale.ROOT).replace("_c", "C");
            y.append("      - resource: {type: ")
                    .append(type)
                    .append(", name: \"")
                    .append(r.name())
                    .append("\", patternType: ")
                    .append(r.patternType() == PatternType.PREFIXED ? "prefix" : "literal")
                    .append("}\n        operations: [")
                    .append(operation)
                    .append("]\n");
        }
        return y.toString();
    }

    private static void topic(List<AclBinding> out, String principal, String topic, AclOperation... ops) {
        for (AclOperation op : ops) {
            out.add(binding(ResourceType.TOPIC, topic, PatternType.LITERAL, principal, op));
        }
    }

    private static void group(List<AclBinding> out, String principal, String group) {
        out.add(binding(ResourceType.GROUP, group, PatternType.LITERAL, principal, AclOperation.READ));
    }

    private static AclBinding binding(
            ResourceType type, String name, PatternType pattern, String principal, AclOperation op) {
        return new AclBinding(
                new ResourcePattern(type, name, pattern),
                new AccessControlEntry(principal, "*", op, AclPermissionType.ALLOW));
    }
}
