package io.vigil.broker;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import java.nio.file.Path;
import java.util.UUID;

/**
 * JUnit 5 extension: one real embedded broker per test JVM, shared by every test class that uses it, stopped when
 * the JVM's tests end. Inject it as a parameter: {@code @ExtendWith(EmbeddedKafkaExtension.class)} then
 * {@code @BeforeAll static void setUp(EmbeddedKafka kafka)}. Data lives under {@code target/embedded-kafka/}.
 */
public final class EmbeddedKafkaExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(EmbeddedKafkaExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == EmbeddedKafka.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return broker(context);
    }

    /** The shared broker, started on first use. */
    public static EmbeddedKafka broker(ExtensionContext context) {
        return context.getRoot()
                .getStore(NAMESPACE)
                .getOrComputeIfAbsent(
                        "broker",
                        k -> new Resource(EmbeddedKafka.start(Path.of(
                                "target", "embedded-kafka", UUID.randomUUID().toString()))),
                        Resource.class)
                .kafka;
    }

    @SuppressWarnings("deprecation")
    private record Resource(EmbeddedKafka kafka) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            kafka.close();
        }
    }
}
