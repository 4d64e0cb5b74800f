package org.pekkogrid.client;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * A client's settings, from {@code grid.client}.
 *
 * @param connectTimeout     how long connecting waits for a head to answer
 * @param submitTimeout      how long a submit waits for the head to accept or reject the job
 * @param pingInterval       how often the client asks its head whether it is there
 * @param headTimeout        a head silent this long is taken for gone: the client moves to the next
 * @param retryPause         pause after every known head was tried in vain
 * @param keepAliveInterval  how often a client following jobs tells the heads it is alive
 * @param resubmitAfter      a submit unanswered this long is sent again (the head runs it once)
 * @param followAfterSilence a running job silent this long is asked about
 * @param lostAfter          a job no head has answered about for this long fails
 */
record ClientSettings(Duration connectTimeout, Duration submitTimeout, Duration pingInterval, Duration headTimeout,
                      Duration retryPause, Duration keepAliveInterval, Duration resubmitAfter,
                      Duration followAfterSilence, Duration lostAfter) {

    static ClientSettings from(Config config) {
        Config c = config.getConfig("grid.client");
        return new ClientSettings(
            c.getDuration("connect-timeout"),
            c.getDuration("submit-timeout"),
            c.getDuration("ping-interval"),
            c.getDuration("head-timeout"),
            c.getDuration("retry-pause"),
            c.getDuration("keep-alive-interval"),
            c.getDuration("resubmit-after"),
            c.getDuration("follow-after-silence"),
            c.getDuration("lost-after"));
    }
}
