package io.vigil.api.topic;

/** Topic setup could not talk to Kafka or was refused. */
public final class TopicSetupException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TopicSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
