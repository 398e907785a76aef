package io.vigil.console.access;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * The tokens file, read again when it changes (looked at no more often than every few seconds): adding or revoking a
 * token needs no restart. A changed file that does not parse is refused with its reasons logged, and the tokens
 * read before stay in force.
 */
public final class TokensFile implements Supplier<Tokens> {
    private static final Logger LOG = LoggerFactory.getLogger(TokensFile.class);
    private final Path file;
    private final long checkEveryNanos;
    private volatile Tokens tokens;
    private volatile FileTime modified;
    private volatile long checkedAt;

    /** Reads the file now; a file that is missing or does not parse is an exception naming the problem. */
    public TokensFile(Path file, Duration checkEvery) throws IOException {
        this.file = file;
        this.checkEveryNanos = checkEvery.toNanos();
        this.modified = modified(file);
        this.tokens = Tokens.load(file);
        this.checkedAt = System.nanoTime();
    }

    @Override
    public Tokens get() {
        long now = System.nanoTime();
        if (now - checkedAt >= checkEveryNanos) {
            reloadIfChanged(now);
        }
        return tokens;
    }

    private synchronized void reloadIfChanged(long now) {
        if (now - checkedAt < checkEveryNanos) {
            return;
        }
        checkedAt = now;
        try {
            FileTime m = modified(file);
            if (m.equals(modified)) {
                return;
            }
            Tokens fresh = Tokens.load(file);
            modified = m;
            tokens = fresh;
            LOG.info("Console tokens read again from {}: {} tokens", file, fresh.size());
        } catch (IOException | IllegalArgumentException e) {
            LOG.error("The changed tokens file {} is refused, the tokens read before stay: {}", file, e.getMessage());
        }
    }

    private static FileTime modified(Path file) throws IOException {
        try {
            return Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new IOException("cannot read the tokens file " + file + " (" + e.getMessage() + ")", e);
        }
    }
}
