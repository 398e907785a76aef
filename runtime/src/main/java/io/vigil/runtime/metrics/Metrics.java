package io.vigil.runtime.metrics;

import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/** The one way a Vigil process builds its meter registry: Prometheus, common tags, JVM and process metrics. */
public final class Metrics {
    private Metrics() {}

    /**
     * @param service  the service tag: ingest, inference, matcher, alerts, or all (everything in one process)
     * @param instance the instance tag
     */
    public static PrometheusMeterRegistry prometheus(String service, String instance) {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("service", service, "instance", instance);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        // JvmGcMetrics keeps a notification listener; it lives as long as the process, like the registry.
        @SuppressWarnings("resource")
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        return registry;
    }
}
