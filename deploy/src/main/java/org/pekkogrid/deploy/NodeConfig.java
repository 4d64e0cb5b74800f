package org.pekkogrid.deploy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A node's configuration, layered: command-line flags over {@code GRID_*} environment
 * variables over the file given with {@code --config} over the command's own defaults (a head
 * listens on 2551 and serves metrics) over every module's reference.conf.
 */
public final class NodeConfig {

    /** Environment variables and the setting each one sets. */
    static final Map<String, String> ENVIRONMENT = Map.ofEntries(
        Map.entry("GRID_SEED", "grid.seeds"),
        Map.entry("GRID_SEEDS", "grid.seeds"),
        Map.entry("GRID_HOST", "grid.host"),
        Map.entry("GRID_BIND_HOST", "grid.bind-host"),
        Map.entry("GRID_PORT", "grid.port"),
        Map.entry("GRID_CORES", "grid.worker.cores"),
        Map.entry("GRID_TAGS", "grid.worker.tags"),
        Map.entry("GRID_LOGLEVEL", "pekko.loglevel"),
        Map.entry("GRID_LOG_DIR", "grid.log.dir"),
        Map.entry("GRID_METRICS", "grid.metrics.enabled"),
        Map.entry("GRID_METRICS_HOST", "grid.metrics.host"),
        Map.entry("GRID_METRICS_PORT", "grid.metrics.port"),
        Map.entry("GRID_HTTP", "grid.http.enabled"),
        Map.entry("GRID_HTTP_HOST", "grid.http.host"),
        Map.entry("GRID_HTTP_PORT", "grid.http.port"),
        Map.entry("GRID_JOB_JOURNAL", "grid.head.journal.enabled"),
        Map.entry("GRID_DATA_DIR", "grid.data-dir"),
        Map.entry("GRID_FILES_ROOTS", "grid.files.roots"),
        Map.entry("GRID_JOURNAL_URL", "grid.journal.url"),
        Map.entry("GRID_DISCOVERY", "grid.discovery.method"),
        Map.entry("GRID_MANAGEMENT_HOST", "grid.management.host"),
        Map.entry("GRID_MANAGEMENT_BIND_HOST", "grid.management.bind-host"),
        Map.entry("GRID_MANAGEMENT_PORT", "grid.management.port"),
        // GRID_JOURNAL_PASSWORD is read where the journal opens, and never enters the config.
        Map.entry("GRID_JOURNAL_USER", "grid.journal.user"));

    private static final List<String> LISTS = List.of("grid.seeds", "grid.worker.tags", "grid.files.roots");
    private static final List<String> NUMBERS = List.of("grid.port", "grid.worker.cores", "grid.metrics.port",
        "grid.http.port", "grid.management.port");
    private static final List<String> SWITCHES = List.of("grid.metrics.enabled", "grid.http.enabled",
        "grid.head.journal.enabled");

    private NodeConfig() {}

    /**
     * @param file  the --config file, or null
     * @param env   the process environment
     * @param flags settings from command-line flags, by path
     */
    public static Config load(Path file, Map<String, String> env, Map<String, Object> flags) {
        return load(file, env, flags, Map.of());
    }

    /**
     * @param commandDefaults the command's own defaults, by path: below the file, above reference.conf
     */
    public static Config load(Path file, Map<String, String> env, Map<String, Object> flags,
                              Map<String, Object> commandDefaults) {
        Config defaults = ConfigFactory.parseMap(commandDefaults)
            .withFallback(org.pekkogrid.protocol.GridConfig.defaults());
        Config fromFile = ConfigFactory.empty();
        if (file != null) {
            if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
                throw new IllegalArgumentException("--config " + file + ": no such readable file");
            }
            try {
                fromFile = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
            } catch (ConfigException e) {
                throw new IllegalArgumentException("--config " + file + ": " + e.getMessage());
            }
        }
        Config fromEnv = ConfigFactory.parseMap(fromEnvironment(env));
        Config fromFlags = ConfigFactory.parseMap(flags);
        Config layered = fromFlags.withFallback(fromEnv).withFallback(fromFile).withFallback(defaults);
        try {
            return layered.resolve();
        } catch (ConfigException e) {
            throw new IllegalArgumentException("bad configuration: " + e.getMessage());
        }
    }

    static Map<String, Object> fromEnvironment(Map<String, String> env) {
        Map<String, Object> values = new HashMap<>();
        ENVIRONMENT.forEach((variable, path) -> {
            String value = env.get(variable);
            if (value == null || value.isBlank()) return;
            if (LISTS.contains(path)) {
                values.put(path, Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList());
            } else if (NUMBERS.contains(path)) {
                try {
                    values.put(path, Integer.parseInt(value.trim()));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(variable + "=" + value + " is not a number");
                }
            } else if (SWITCHES.contains(path)) {
                values.put(path, switchValue(variable, value.trim()));
            } else {
                values.put(path, value.trim());
            }
        });
        return values;
    }

    private static boolean switchValue(String variable, String value) {
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "on", "true", "yes", "1" -> true;
            case "off", "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException(variable + "=" + value + " is neither on nor off");
        };
    }
}
