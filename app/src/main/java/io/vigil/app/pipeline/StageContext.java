package io.vigil.app.pipeline;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vigil.api.topic.VigilTopics;
import io.vigil.runtime.http.HttpEndpoint;

/** What a stage is built from. */
public record StageContext(
        Settings settings, VigilTopics topics, PrometheusMeterRegistry registry, HttpEndpoint http) {}
