package io.vigil.app;

import io.vigil.inference.worker.InferenceConfig;
import io.vigil.runtime.config.CommonConfig;
import io.vigil.runtime.config.ConfigReader;

/**
 * Every configuration section, parsed together so that all problems (and unknown keys) are reported at once,
 * whichever stage this process runs: one environment file can serve every service of a deployment.
 */
public record Settings(CommonConfig common, InferenceConfig inference) {

    public static Settings load(ConfigReader reader) {
        Settings s = new Settings(CommonConfig.from(reader), InferenceConfig.from(reader));
        reader.finish();
        return s;
    }

    public static Settings fromEnvironment() {
        return load(ConfigReader.fromEnvironment());
    }

    public Settings withCommon(CommonConfig c) {
        return new Settings(c, inference);
    }

    public Settings withBootstrap(String bootstrap) {
        return bootstrap == null ? this : withCommon(common.withBootstrap(bootstrap));
    }

    public Settings withHttpPort(Integer port) {
        return port == null ? this : withCommon(common.withHttpPort(port));
    }
}
