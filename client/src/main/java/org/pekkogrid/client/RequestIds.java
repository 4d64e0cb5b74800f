package org.pekkogrid.client;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Ids no other client makes: 64 random bits, then a sequence. A request sent again with its id
 * (a counter's increment, a job's submit) is recognised by the grid and done once.
 */
final class RequestIds {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String prefix;
    private final AtomicLong sequence = new AtomicLong();

    RequestIds() {
        byte[] random = new byte[8];
        RANDOM.nextBytes(random);
        this.prefix = HexFormat.of().formatHex(random) + "-";
    }

    String next() {
        return prefix + Long.toString(sequence.incrementAndGet(), 36);
    }
}
