package io.vigil.app.pipeline;

import io.vigil.alerts.AlertsConfig;
import io.vigil.api.topic.VigilTopics;
import io.vigil.app.UserException;
import io.vigil.console.ConsoleConfig;
import io.vigil.inference.InferenceConfig;
import io.vigil.ingest.IngestConfig;
import io.vigil.ingest.camera.CameraPolicy;
import io.vigil.matcher.MatcherConfig;
import io.vigil.runtime.config.CommonConfig;
import io.vigil.runtime.config.ConfigReader;

import java.nio.file.Path;
import java.util.Set;

/**
 * Every configuration section, parsed together so that all problems (and unknown keys) are reported at once,
 * whichever stage this process runs: one environment file can serve every service of a deployment.
 */
public record Settings(
        CommonConfig common,
        IngestConfig ingest,
        InferenceConfig inference,
        MatcherConfig matcher,
        AlertsConfig alerts,
        ConsoleConfig console) {

    public static Settings load(ConfigReader reader) {
        CommonConfig common = CommonConfig.from(reader);
        Settings s = new Settings(
                common,
                IngestConfig.from(reader),
                InferenceConfig.from(reader),
                MatcherConfig.from(reader, common.topicPrefix(), common.home(), common.captureWindow()),
                AlertsConfig.from(reader),
                ConsoleConfig.from(reader));
        reader.finish();
        return s;
    }

    public static Settings fromEnvironment() {
        return load(ConfigReader.fromEnvironment());
    }

    /** The environment plus a settings file (a command's {@code --config}); null means VIGIL_CONFIG_FILE's. */
    public static Settings fromEnvironment(Path configFile) {
        return load(ConfigReader.fromEnvironment(configFile));
    }

    public Settings withCommon(CommonConfig c) {
        return new Settings(c, ingest, inference, matcher, alerts, console);
    }

    public Settings withBootstrap(String bootstrap) {
        return bootstrap == null ? this : withCommon(common.withBootstrap(bootstrap));
    }

    /** These settings with ingest allowing more camera URLs (the demo's own camera and files). */
    public Settings allowingCameras(Set<CameraPolicy.Allow> allow) {
        return new Settings(common, ingest.allowing(allow), inference, matcher, alerts, console);
    }

    public Settings withHttpPort(Integer port) {
        return port == null ? this : withCommon(common.withHttpPort(port));
    }

    /** The topics under this deployment's prefix. */
    public VigilTopics topics() {
        return new VigilTopics(common.topicPrefix(), common.topicPolicy());
    }

    /** The bootstrap servers, or a user error saying how to give them. */
    public String requireBootstrap() {
        if (common.bootstrap() == null) {
            throw new UserException("no Kafka to connect to: set VIGIL_KAFKA_BOOTSTRAP or --bootstrap", 2);
        }
        return common.bootstrap();
    }
}
