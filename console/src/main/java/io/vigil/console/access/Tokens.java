package io.vigil.console.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The API tokens, from a file that holds only their SHA-256 digests: one token per line,
 * {@code NAME ROLE sha256:HEX}, {@code #} starting a comment. Whoever reads the file learns no token. A token is
 * 32 random bytes (256 bits, {@link #mint}), so a fast hash is enough: nothing can be guessed from its digest.
 */
public final class Tokens {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Longest bearer value looked at; a token is 43 characters. */
    private static final int MAX_TOKEN = 256;

    private record Entry(Caller caller, byte[] digest) {}

    private final List<Entry> entries;

    private Tokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** The tokens of {@code file}, or an exception naming every bad line and how to fix it. */
    public static Tokens load(Path file) throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IOException(
                    "cannot read the tokens file " + file + " (" + e.getMessage()
                            + "); create it with `vigil console token --name NAME --role ROLE >> " + file + "`",
                    e);
        }
        return parse(lines, file.toString());
    }

    /** The tokens of these lines; {@code where} names their file in errors. */
    public static Tokens parse(List<String> lines, String where) {
        List<Entry> entries = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            String at = where + " line " + (i + 1) + ": ";
            if (f.length != 3) {
                problems.add(at + "expected NAME ROLE sha256:HEX, found " + f.length + " fields");
                continue;
            }
            Role role = Role.parse(f[1]);
            if (!NAME.matcher(f[0]).matches()) {
                problems.add(at + "the name must be 1-64 characters from A-Z a-z 0-9 . _ @ -");
            } else if (!names.add(f[0])) {
                problems.add(at + "the name " + f[0] + " is used twice; each token has its own name");
            }
            if (role == null) {
                problems.add(at + "unknown role; use viewer, operator or admin");
            }
            if (!DIGEST.matcher(f[2]).matches()) {
                problems.add(at + "the digest must be sha256: and 64 lower-case hex digits (never the token itself)");
            }
            if (role != null
                    && NAME.matcher(f[0]).matches()
                    && DIGEST.matcher(f[2]).matches()) {
                entries.add(new Entry(new Caller(f[0], role), HexFormat.of().parseHex(f[2].substring(7))));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        if (entries.isEmpty()) {
            throw new IllegalArgumentException(where + " holds no token; add one with `vigil console token`");
        }
        return new Tokens(entries);
    }

    /** The caller whose token this is, or null. Every entry is compared, in constant time. */
    public Caller caller(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN) {
            return null;
        }
        byte[] digest = sha256(token);
        Caller found = null;
        for (Entry e : entries) {
            if (MessageDigest.isEqual(digest, e.digest()) && found == null) {
                found = e.caller();
            }
        }
        return found;
    }

    public int size() {
        return entries.size();
    }

    /** A new random token: 32 bytes, base64url. */
    public static String mint() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The tokens file's line for {@code token}. */
    public static String line(String name, Role role, String token) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException(
                    "token name '" + name + "' is invalid; use 1-64 characters from A-Z a-z 0-9 . _ @ -");
        }
        return name + " " + role.label() + " sha256:" + HexFormat.of().formatHex(sha256(token));
    }

    private static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
