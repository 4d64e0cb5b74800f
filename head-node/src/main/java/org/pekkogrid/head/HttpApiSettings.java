package org.pekkogrid.head;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * The head's HTTP API settings, from {@code grid.http}.
 *
 * @param port       first port tried; 0 for any free one
 * @param portRange  ports tried from {@code port} on
 * @param askTimeout how long a request waits for the coordinator
 * @param token      what callers must present, when set (GRID_HTTP_TOKEN)
 */
public record HttpApiSettings(boolean enabled, String host, int port, int portRange, Duration askTimeout,
                              BearerToken token) {

    public HttpApiSettings {
        if (port < 0 || port > 65535) throw new IllegalArgumentException("grid.http.port must be within 0..65535, got " + port);
        if (portRange < 1) throw new IllegalArgumentException("grid.http.port-range must be at least 1, got " + portRange);
        if (host == null || host.isBlank()) throw new IllegalArgumentException("grid.http.host is empty; say which interface to listen on");
    }

    public static HttpApiSettings from(Config config) {
        Config c = config.getConfig("grid.http");
        return new HttpApiSettings(c.getBoolean("enabled"), c.getString("host"), c.getInt("port"),
            c.getInt("port-range"), c.getDuration("ask-timeout"), BearerToken.of(c.getString("token")));
    }
}
