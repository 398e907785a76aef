package io.vigil.matcher.stream;

import io.vigil.runtime.kafka.DeadLetterPublisher;
import io.vigil.runtime.loop.Failures;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * What Kafka Streams does with a record the matcher cannot handle: instead of failing the stream thread (which,
 * replaced, would read the same record and fail again, forever), the record goes to the dead-letter topic with the
 * reason and the matcher goes on. Covers an unexpected exception in a processor ({@code processing-failed}), a record
 * that cannot be deserialized, and an output the broker refuses for its size ({@code produce-failed}). The
 * dead-letter publisher is passed in the Streams properties under {@link #PUBLISHER}.
 */
public final class StreamErrors
        implements ProcessingExceptionHandler, DeserializationExceptionHandler, ProductionExceptionHandler {
    /** The Streams property holding the {@link DeadLetterPublisher}. */
    public static final String PUBLISHER = "vigil.dead.letter.publisher";

    private static final Logger LOG = LoggerFactory.getLogger(StreamErrors.class);
    private DeadLetterPublisher dlq;

    @Override
    public void configure(Map<String, ?> configs) {
        Object p = configs.get(PUBLISHER);
        if (!(p instanceof DeadLetterPublisher publisher)) {
            throw new IllegalStateException(
                    "the matcher's dead-letter publisher is missing from the Streams properties");
        }
        dlq = publisher;
    }

    @Override
    public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (Failures.fatal(exception)) {
            return ProcessingHandlerResponse.FAIL;
        }
        LOG.debug("Processing failed in {}", context.processorNodeId(), exception);
        send(context, "processing-failed", Failures.describe(exception));
        return ProcessingHandlerResponse.CONTINUE;
    }

    @Override
    public DeserializationHandlerResponse handle(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        send(context, "corrupt-record", Failures.describe(exception));
        return DeserializationHandlerResponse.CONTINUE;
    }

    @Override
    public ProductionExceptionHandlerResponse handle(
            ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (exception instanceof RecordTooLargeException || exception instanceof InvalidRecordException) {
            send(context, "produce-failed", Failures.describe(exception));
            return ProductionExceptionHandlerResponse.CONTINUE;
        }
        return ProductionExceptionHandlerResponse.FAIL;
    }

    @Override
    public ProductionExceptionHandlerResponse handleSerializationException(
            ErrorHandlerContext context,
            ProducerRecord record,
            Exception exception,
            SerializationExceptionOrigin origin) {
        if (exception instanceof SerializationException || exception instanceof IllegalArgumentException) {
            send(context, "produce-failed", Failures.describe(exception));
            return ProductionExceptionHandlerResponse.CONTINUE;
        }
        return ProductionExceptionHandlerResponse.FAIL;
    }

    private void send(ErrorHandlerContext c, String reason, String detail) {
        dlq.publish(
                c.topic(),
                c.partition(),
                c.offset(),
                c.sourceRawKey(),
                c.sourceRawValue(),
                c.headers(),
                reason,
                detail);
    }
}
