package io.vigil.app.cli;

import io.vigil.app.UserException;
import io.vigil.app.pipeline.AccessControl;
import io.vigil.app.pipeline.Settings;
import io.vigil.runtime.kafka.KafkaAccess;
import io.vigil.runtime.kafka.KafkaClients;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;

@Command(
        name = "acls",
        mixinStandardHelpOptions = true,
        description = {
            "Prints the exact Kafka ACLs each Vigil role needs, as kafka-acls commands; with --apply, creates them",
            "(as the principal VIGIL_KAFKA_* gives, which must be allowed to alter ACLs).",
            "Roles: ingest, inference, matcher, alerts, operator, topics (vigil topics). Example:",
            "  vigil acls --grant ingest=User:vigil-ingest --grant matcher=User:vigil-matcher"
        })
final class AclsCommand implements Callable<Integer> {
    @Mixin
    KafkaOptions kafka;

    @Option(
            names = "--grant",
            required = true,
            paramLabel = "ROLE=PRINCIPAL",
            description = "a role and the principal that plays it, e.g. ingest=User:vigil-ingest; repeatable")
    List<String> grants = new ArrayList<>();

    @Option(names = "--apply", description = "create the ACLs instead of printing them")
    boolean apply;

    @Option(
            names = "--strimzi",
            paramLabel = "NAMESPACE/CLUSTER",
            description = "print Strimzi KafkaUser resources (SCRAM-SHA-512) with these ACLs instead, for the cluster"
                    + " CLUSTER in NAMESPACE; each principal User:NAME becomes the KafkaUser NAME")
    String strimzi;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        Settings s = apply ? kafka.settings() : kafka.unchecked();
        List<AclBinding> acls = new ArrayList<>();
        StringBuilder users = new StringBuilder();
        for (String g : grants) {
            int eq = g.indexOf('=');
            AccessControl.Role role;
            try {
                role = AccessControl.Role.valueOf(
                        g.substring(0, Math.max(0, eq)).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UserException(
                        "--grant '" + g + "': give ROLE=PRINCIPAL with a role among ingest, inference,"
                                + " matcher, alerts, console, operator, topics",
                        2);
            }
            String principal = g.substring(eq + 1);
            if (!principal.matches("[A-Za-z]+:\\S+")) {
                throw new UserException(
                        "--grant '" + g + "': the principal must read TYPE:NAME, e.g. User:vigil-ingest", 2);
            }
            List<AclBinding> roleAcls = AccessControl.acls(role, principal, s);
            acls.addAll(roleAcls);
            if (strimzi != null) {
                String[] nc = strimzi.split("/", 2);
                if (nc.length != 2 || !principal.startsWith("User:")) {
                    throw new UserException(
                            "--strimzi needs NAMESPACE/CLUSTER, and principals of the form User:NAME", 2);
                }
                users.append(users.length() == 0 ? "" : "---\n")
                        .append(AccessControl.strimziUser(principal.substring(5), nc[0], nc[1], roleAcls));
            }
        }
        if (strimzi != null) {
            spec.commandLine().getOut().print(users);
            spec.commandLine().getOut().flush();
            return 0;
        }
        PrintWriter out = spec.commandLine().getOut();
        String bootstrap =
                s.common().bootstrap() == null ? "BROKER:PORT" : s.common().bootstrap();
        if (!apply) {
            acls.forEach(a -> out.println(AccessControl.command(a, bootstrap)));
            out.flush();
            return 0;
        }
        try (Admin admin = KafkaClients.admin(s.common())) {
            admin.createAcls(acls).all().get();
        } catch (ExecutionException e) {
            throw new UserException(
                    "cannot create the ACLs: " + KafkaAccess.refusal(e.getCause(), s.common(), "Alter"));
        }
        out.printf("created %d ACLs%n", acls.size());
        out.flush();
        return 0;
    }
}
