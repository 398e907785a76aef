package io.vigil.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority made on the spot with the JDK's own {@code keytool}, and a certificate it signs for a
 * broker on 127.0.0.1: what the secured embedded broker and its clients use in tests. PKCS12 stores.
 *
 * @param keystore   the broker's key and its CA-signed certificate
 * @param truststore the CA's certificate: what clients (and the broker's own inter-broker client) trust
 * @param password   the password of both stores and of the key
 */
public record Certificates(Path keystore, Path truststore, String password) {

    /** Makes a CA and a broker certificate for 127.0.0.1 and localhost in {@code dir}. */
    public static Certificates create(Path dir) {
        try {
            Files.createDirectories(dir);
            String pw = "changeit-" + Long.toHexString(System.nanoTime());
            Path ca = dir.resolve("ca.p12");
            Path caCert = dir.resolve("ca.pem");
            Path broker = dir.resolve("broker.p12");
            Path csr = dir.resolve("broker.csr");
            Path signed = dir.resolve("broker.pem");
            Path trust = dir.resolve("truststore.p12");
            for (Path p : List.of(ca, caCert, broker, csr, signed, trust)) {
                Files.deleteIfExists(p);
            }
            keytool(
                    "-genkeypair",
                    "-alias",
                    "ca",
                    "-keyalg",
                    "RSA",
                    "-keysize",
                    "2048",
                    "-dname",
                    "CN=Vigil test CA",
                    "-ext",
                    "bc:c",
                    "-validity",
                    "30",
                    "-keystore",
                    ca,
                    "-storepass",
                    pw,
                    "-storetype",
                    "PKCS12");
            keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca, "-storepass", pw, "-file", caCert);
            keytool(
                    "-genkeypair",
                    "-alias",
                    "broker",
                    "-keyalg",
                    "RSA",
                    "-keysize",
                    "2048",
                    "-dname",
                    "CN=127.0.0.1",
                    "-validity",
                    "30",
                    "-keystore",
                    broker,
                    "-storepass",
                    pw,
                    "-storetype",
                    "PKCS12");
            keytool("-certreq", "-alias", "broker", "-keystore", broker, "-storepass", pw, "-file", csr);
            keytool(
                    "-gencert",
                    "-alias",
                    "ca",
                    "-keystore",
                    ca,
                    "-storepass",
                    pw,
                    "-infile",
                    csr,
                    "-outfile",
                    signed,
                    "-rfc",
                    "-validity",
                    "30",
                    "-ext",
                    "SAN=IP:127.0.0.1,DNS:localhost");
            keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caCert, "-keystore", broker, "-storepass", pw);
            keytool(
                    "-importcert",
                    "-noprompt",
                    "-alias",
                    "broker",
                    "-file",
                    signed,
                    "-keystore",
                    broker,
                    "-storepass",
                    pw);
            keytool(
                    "-importcert",
                    "-noprompt",
                    "-alias",
                    "ca",
                    "-file",
                    caCert,
                    "-keystore",
                    trust,
                    "-storepass",
                    pw,
                    "-storetype",
                    "PKCS12");
            return new Certificates(broker, trust, pw);
        } catch (IOException e) {
            throw new IllegalStateException("cannot make test certificates in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void keytool(Object... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        for (Object a : args) {
            cmd.add(a.toString());
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("keytool " + args[0] + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
