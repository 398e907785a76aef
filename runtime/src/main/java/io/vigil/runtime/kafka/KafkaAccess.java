package io.vigil.runtime.kafka;

import io.vigil.runtime.config.CommonConfig;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reaching Kafka, and saying clearly why not: a check that the cluster answers this process's clients (used before a
 * command or a stage starts, so a wrong address or a plaintext client on a TLS port fails in seconds with one line
 * instead of hanging), and the sentence for a refusal, naming the principal, the resource and the ACL to ask for.
 */
public final class KafkaAccess {
    private static final Pattern JAAS_USER = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

    private KafkaAccess() {}

    /** Kafka is unreachable, or refuses this client: the message is one line naming the address and the fix. */
    public static final class UnavailableException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Checks that the cluster answers within {@code timeout}, and returns its id.
     *
     * @throws UnavailableException naming the address and what to fix
     */
    public static String check(CommonConfig config, Duration timeout) {
        String bootstrap = config.bootstrap();
        List<String> unreachable = new ArrayList<>();
        List<InetSocketAddress> reachable = new ArrayList<>();
        for (String address : bootstrap.split(",")) {
            InetSocketAddress a = address(address.trim());
            if (a == null) {
                throw new UnavailableException(
                        "Kafka bootstrap address '" + address.trim()
                                + "' is not host:port; fix VIGIL_KAFKA_BOOTSTRAP or --bootstrap",
                        null);
            }
            try (Socket s = new Socket()) {
                s.connect(a, (int) Math.min(timeout.toMillis(), 3_000));
                reachable.add(a);
            } catch (IOException e) {
                unreachable.add(address.trim() + " (" + e.getMessage() + ")");
            }
        }
        if (reachable.isEmpty()) {
            throw new UnavailableException(
                    "cannot reach Kafka at " + String.join(", ", unreachable)
                            + "; check VIGIL_KAFKA_BOOTSTRAP or --bootstrap",
                    null);
        }
        Map<String, Object> props = KafkaClients.common(config, "vigil-check");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1_000);
        try (Admin admin = Admin.create(props)) {
            return admin.describeCluster().clusterId().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new UnavailableException(refusal(e.getCause(), config, "Describe"), e.getCause());
        } catch (TimeoutException e) {
            throw new UnavailableException(silence(config, reachable.get(0), timeout), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while checking Kafka at " + bootstrap, e);
        }
    }

    /** Why a broker that accepts connections did not answer: most often, the client speaks the wrong protocol. */
    private static String silence(CommonConfig config, InetSocketAddress broker, Duration timeout) {
        String protocol = protocol(config);
        boolean clientTls = protocol.endsWith("SSL");
        boolean brokerTls = speaksTls(broker);
        String where = broker.getHostString() + ":" + broker.getPort();
        if (brokerTls && !clientTls) {
            return "Kafka at " + where + " speaks TLS, but this client uses " + protocol
                    + "; set VIGIL_KAFKA_SECURITY_PROTOCOL=SSL or SASL_SSL, and a truststore"
                    + " (VIGIL_KAFKA_SSL_TRUSTSTORE_LOCATION) that holds the broker's CA";
        }
        if (!brokerTls && clientTls) {
            return "Kafka at " + where + " does not speak TLS, but this client uses " + protocol
                    + "; check the port, or set VIGIL_KAFKA_SECURITY_PROTOCOL to what the listener expects";
        }
        return "Kafka at " + where + " accepted a connection but did not answer within " + timeout.toSeconds()
                + " s; check that it is a Kafka listener and that VIGIL_KAFKA_SECURITY_PROTOCOL (" + protocol
                + ") and the SASL settings match it";
    }

    /** True when a TLS handshake with the address completes (the certificate is not checked: only the protocol). */
    static boolean speaksTls(InetSocketAddress address) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new AnyCertificate()}, new SecureRandom());
            try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket()) {
                s.connect(address, 3_000);
                s.setSoTimeout(3_000);
                s.startHandshake();
                return true;
            }
        } catch (IOException | java.security.GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * The sentence for a failure that is the cluster refusing this client: who (the principal), what (the topic,
     * group or transactional id), and the ACL an administrator can add; any other failure as it is.
     *
     * @param operation what was attempted, e.g. {@code Write} to a topic or {@code Read} a topic
     */
    public static String refusal(Throwable failure, CommonConfig config, String operation) {
        Throwable t = failure;
        while (t != null
                && !(t instanceof AuthenticationException)
                && !(t instanceof org.apache.kafka.common.errors.AuthorizationException)) {
            t = t.getCause() == t ? null : t.getCause();
        }
        if (t == null) {
            return failure.getClass().getSimpleName()
                    + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        }
        String principal = principal(config);
        String acl = "kafka-acls --bootstrap-server " + config.bootstrap() + " --add --allow-principal " + principal;
        if (t instanceof SslAuthenticationException) {
            return "TLS with Kafka at " + config.bootstrap() + " failed (" + t.getMessage()
                    + "); check that the truststore" + " (VIGIL_KAFKA_SSL_TRUSTSTORE_LOCATION) holds the broker's CA";
        }
        if (t instanceof AuthenticationException) {
            return "Kafka at " + config.bootstrap() + " refused the credentials of " + principal + " (" + t.getMessage()
                    + "); check VIGIL_KAFKA_SASL_MECHANISM and VIGIL_KAFKA_SASL_JAAS_CONFIG";
        }
        if (t instanceof TopicAuthorizationException e) {
            String topics = String.join(", ", e.unauthorizedTopics());
            String op = operation == null ? "Read" : operation;
            return principal + " may not " + op.toLowerCase(Locale.ROOT) + " topic " + topics + "; an administrator can"
                    + " grant it: " + acl + " --operation " + op + " --topic " + topics;
        }
        if (t instanceof GroupAuthorizationException e) {
            return principal + " may not use consumer group " + e.groupId() + "; an administrator can grant it: " + acl
                    + " --operation Read --group " + e.groupId();
        }
        if (t instanceof TransactionalIdAuthorizationException) {
            return principal + " may not use its transactional id (" + t.getMessage() + "); an administrator can grant"
                    + " it: " + acl + " --operation Write --operation Describe --transactional-id <application id>"
                    + " --resource-pattern-type prefixed";
        }
        if (t instanceof ClusterAuthorizationException) {
            return principal + " may not do this on the cluster (" + t.getMessage()
                    + "); an administrator can grant it: " + acl + " --operation "
                    + (operation == null ? "Describe" : operation) + " --cluster";
        }
        return principal + " is not authorised: " + t.getMessage();
    }

    /** The principal this client authenticates as, as far as its settings tell. */
    public static String principal(CommonConfig config) {
        String jaas = config.kafka().get("sasl.jaas.config");
        if (jaas != null) {
            Matcher m = JAAS_USER.matcher(jaas);
            if (m.find()) {
                return "User:" + m.group(1);
            }
        }
        if (config.kafka().containsKey("ssl.keystore.location")) {
            return "the principal of this client's certificate ("
                    + config.kafka().get("ssl.keystore.location") + ")";
        }
        return "User:ANONYMOUS";
    }

    private static String protocol(CommonConfig config) {
        return config.kafka()
                .getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT")
                .toUpperCase(Locale.ROOT);
    }

    private static InetSocketAddress address(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0) {
            return null;
        }
        try {
            String host = hostPort.substring(0, colon).replace("[", "").replace("]", "");
            return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Trusts any certificate: used only to learn whether a port speaks TLS, never to exchange data. */
    private static final class AnyCertificate implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {}

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
