package io.vigil.runtime.loop;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.RetriableException;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** Failure policy by exception type, never by message text. */
public final class Failures {
    private Failures() {}

    /** The JVM cannot be trusted to go on (out of memory, internal error): the loop must die, not skip a record. */
    public static boolean fatal(Throwable t) {
        return t instanceof VirtualMachineError && !(t instanceof StackOverflowError);
    }

    /** Kafka says trying again later may succeed (broker unavailable, timeout, leader moving). */
    public static boolean retriable(Throwable t) {
        return unwrap(t) instanceof RetriableException;
    }

    /** The cluster refused this client's identity or rights: retrying cannot help until an operator acts. */
    public static boolean refused(Throwable t) {
        for (Throwable u = t; u != null; u = u.getCause() == u ? null : u.getCause()) {
            if (u instanceof AuthenticationException || u instanceof AuthorizationException) {
                return true;
            }
        }
        return false;
    }

    /** The exception inside the wrappers that futures add. */
    public static Throwable unwrap(Throwable t) {
        Throwable u = t;
        while ((u instanceof CompletionException || u instanceof ExecutionException) && u.getCause() != null) {
            u = u.getCause();
        }
        return u;
    }

    /** One line for logs and dead-letter details: the type and message of the exception inside the wrappers. */
    public static String describe(Throwable t) {
        Throwable u = unwrap(t);
        return u.getClass().getSimpleName() + (u.getMessage() == null ? "" : ": " + u.getMessage());
    }
}
