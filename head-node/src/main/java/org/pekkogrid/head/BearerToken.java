package org.pekkogrid.head;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.optionalHeaderValueByName;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * A secret that HTTP callers present as {@code Authorization: Bearer SECRET}: the head's API and
 * every node's {@code /metrics} ask for it when one is set (from the environment, never the
 * repository). Without one they answer anyone who reaches them, which is why they bind loopback
 * unless told otherwise.
 */
public final class BearerToken {

    public static final BearerToken NONE = new BearerToken(null);

    private final byte[] secret;

    private BearerToken(byte[] secret) {
        this.secret = secret;
    }

    /** The token a setting holds; blank for none. */
    public static BearerToken of(String secret) {
        if (secret == null || secret.isBlank()) return NONE;
        if (secret.strip().length() < 16) {
            throw new IllegalArgumentException("the HTTP token (GRID_HTTP_TOKEN) must have at least 16 characters");
        }
        return new BearerToken(secret.strip().getBytes(StandardCharsets.UTF_8));
    }

    public boolean required() {
        return secret != null;
    }

    /** Whether an {@code Authorization} header's value carries the token (compared in constant time). */
    public boolean admits(Optional<String> authorization) {
        if (secret == null) return true;
        if (authorization.isEmpty() || !authorization.get().startsWith("Bearer ")) return false;
        byte[] given = authorization.get().substring("Bearer ".length()).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(secret, given);
    }

    /** {@code inner} for callers that present the token; 401 for the others. */
    public Route guard(Supplier<Route> inner) {
        if (secret == null) return inner.get();
        return optionalHeaderValueByName("Authorization", header -> admits(header) ? inner.get()
            : complete(HttpResponse.create().withStatus(StatusCodes.UNAUTHORIZED)
                .addHeader(RawHeader.create("WWW-Authenticate", "Bearer realm=\"pekko-grid\""))
                .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON,
                    "{\"error\":\"this endpoint asks for Authorization: Bearer and the grid's token (GRID_HTTP_TOKEN)\"}"))));
    }
}
