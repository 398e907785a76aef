package io.vigil.runtime.config;

import java.util.List;

/** Configuration that cannot be used. Carries every problem found, each naming the key, the value and the fix. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super(
                problems.size() == 1
                        ? "Invalid configuration: " + problems.get(0)
                        : "Invalid configuration (" + problems.size() + " problems):\n  - "
                                + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
