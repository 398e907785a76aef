package io.vigil.ingest.camera;

import io.vigil.api.Secrets;
import io.vigil.api.camera.CameraSpec;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * What camera URLs this deployment lets ingest open, on top of the camera contract's own rules
 * ({@link CameraSpec}, {@link io.vigil.api.camera.CameraOptions}). Refused unless {@code VIGIL_INGEST_ALLOW} names
 * them: local files, and hosts that are loopback, link-local or a cloud metadata service (a camera URL must not
 * become a way to reach the node's own services or credentials). Private networks are allowed: that is where
 * cameras live. Hosts are checked twice: by name and literal address when the camera record is read, and by every
 * address the name resolves to just before connecting.
 */
public final class CameraPolicy {
    /** What may be allowed beyond the defaults. */
    public enum Allow {
        FILE,
        LOOPBACK,
        LINK_LOCAL,
        METADATA
    }

    private static final Set<String> METADATA_NAMES = Set.of(
            "metadata",
            "metadata.google.internal",
            "metadata.goog",
            "instance-data",
            "instance-data.ec2.internal",
            "metadata.azure.internal");
    private static final List<String> METADATA_ADDRESSES =
            List.of("169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2:0:0:0:0:0:254");

    private final Set<Allow> allowed;

    public CameraPolicy(Set<Allow> allowed) {
        this.allowed = allowed.isEmpty() ? EnumSet.noneOf(Allow.class) : EnumSet.copyOf(allowed);
    }

    /** A policy that allows nothing beyond the defaults. */
    public static CameraPolicy strict() {
        return new CameraPolicy(Set.of());
    }

    /** Why the camera may not be opened, judged from its URL alone; null when it may. Never resolves names. */
    public String problem(CameraSpec spec) {
        if (spec.scheme().equals("file")) {
            return allowed.contains(Allow.FILE) ? null : refused(spec, "is a local file", Allow.FILE);
        }
        String host = host(spec);
        String name = host.toLowerCase(Locale.ROOT);
        if (name.equals("localhost")
                || name.endsWith(".localhost")
                || name.equals("localhost.localdomain")
                || name.startsWith("ip6-local")
                || name.equals("ip6-loopback")) {
            return classProblem(spec, "loopback");
        }
        if (METADATA_NAMES.contains(name)) {
            return classProblem(spec, "metadata");
        }
        InetAddress literal = literal(host);
        if (literal == null && numericLooking(host)) {
            return "camera " + spec.id() + ": host '" + host + "' is a numeric address in a form Vigil does not read;"
                    + " write it in dotted decimal (e.g. 10.0.0.5)";
        }
        return literal == null ? null : addressProblem(spec, literal);
    }

    /**
     * Why the camera may not be opened, judged just before connecting: for a file, that it is a regular file; for a
     * host, every address it resolves to. Null when it may.
     */
    public String connectProblem(CameraSpec spec) {
        String first = problem(spec);
        if (first != null) {
            return first;
        }
        if (spec.scheme().equals("file")) {
            try {
                Path real = Path.of(spec.filePath()).toRealPath();
                return Files.isRegularFile(real)
                        ? null
                        : "camera " + spec.id() + ": " + real + " is not a regular file";
            } catch (IOException e) {
                return "camera " + spec.id() + ": cannot read " + spec.filePath() + " ("
                        + e.getClass().getSimpleName() + ")";
            }
        }
        String host = host(spec);
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return null; // FFmpeg reports the unknown host as the camera's failure, with retries
        }
        for (InetAddress a : addresses) {
            String p = addressProblem(spec, a);
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    private String addressProblem(CameraSpec spec, InetAddress a) {
        String kind = kind(a);
        return kind == null ? null : classProblem(spec, kind);
    }

    /** The class of an address this policy restricts, or null for an ordinary (public or private) address. */
    static String kind(InetAddress a) {
        if (METADATA_ADDRESSES.contains(a.getHostAddress())) {
            return "metadata";
        }
        if (a.isLoopbackAddress() || a.isAnyLocalAddress()) {
            return "loopback";
        }
        if (a.isLinkLocalAddress()) {
            return "link-local";
        }
        if (a.isMulticastAddress() || a.getHostAddress().equals("255.255.255.255")) {
            return "multicast";
        }
        return null;
    }

    private String classProblem(CameraSpec spec, String kind) {
        return switch (kind) {
            case "loopback" ->
                allowed.contains(Allow.LOOPBACK)
                        ? null
                        : refused(spec, "points at this machine (loopback)", Allow.LOOPBACK);
            case "link-local" ->
                allowed.contains(Allow.LINK_LOCAL)
                        ? null
                        : refused(spec, "points at a link-local address", Allow.LINK_LOCAL);
            case "metadata" ->
                allowed.contains(Allow.METADATA)
                        ? null
                        : refused(spec, "points at a cloud metadata service", Allow.METADATA);
            default ->
                "camera " + spec.id() + ": URL '" + spec.maskedUrl() + "' points at a multicast or broadcast"
                        + " address; cameras are read over TCP from one host";
        };
    }

    private static String refused(CameraSpec spec, String why, Allow allow) {
        return "camera " + spec.id() + ": URL '" + Secrets.maskUrl(spec.url()) + "' " + why
                + ", which this deployment does not allow; add "
                + allow.name().toLowerCase(Locale.ROOT).replace('_', '-')
                + " to VIGIL_INGEST_ALLOW on the ingest workers if it is meant";
    }

    private static String host(CameraSpec spec) {
        String h = URI.create(spec.url()).getHost();
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }

    /** An IP literal (IPv4 in any form inet_aton reads, or IPv6) as an address; null for a name. */
    static InetAddress literal(String host) {
        try {
            if (host.contains(":")) {
                return InetAddress.getByName(host); // IPv6 literal: never a lookup
            }
            if (!numericLooking(host)) {
                return null;
            }
            long v = inetAton(host);
            return v < 0
                    ? null
                    : InetAddress.getByAddress(
                            new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean numericLooking(String host) {
        return host.matches("(0[xX][0-9a-fA-F]*|\\d+)(\\.(0[xX][0-9a-fA-F]*|\\d+)){0,3}\\.?");
    }

    /** The address the C library would read from a numeric host (1 to 4 parts, decimal, octal or hex); -1 if none. */
    static long inetAton(String host) {
        String[] parts =
                host.endsWith(".") ? host.substring(0, host.length() - 1).split("\\.") : host.split("\\.");
        long[] v = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i];
            try {
                v[i] = p.startsWith("0x") || p.startsWith("0X")
                        ? (p.length() == 2 ? 0 : Long.parseLong(p.substring(2), 16))
                        : p.length() > 1 && p.startsWith("0") ? Long.parseLong(p.substring(1), 8) : Long.parseLong(p);
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        int n = v.length;
        for (int i = 0; i < n - 1; i++) {
            if (v[i] > 255) {
                return -1;
            }
        }
        long last = v[n - 1];
        long limit = n == 1 ? 0xffffffffL : n == 2 ? 0xffffffL : n == 3 ? 0xffffL : 0xffL;
        if (last > limit) {
            return -1;
        }
        long out = last;
        for (int i = 0; i < n - 1; i++) {
            out |= v[i] << (24 - 8 * i);
        }
        return out;
    }
}
