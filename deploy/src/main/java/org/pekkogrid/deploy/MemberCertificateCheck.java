package org.pekkogrid.deploy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.UniqueAddress;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;

/**
 * On a head with --tls: downs every member whose cluster roles its certificate does not grant
 * ({@link MemberCertificates}), with one WARN line saying why. Pekko has no hook between the TLS
 * session and the join, so the head matches them itself: it dials every member (gossip,
 * heartbeats) and {@link PeerCertificates} keeps what each address presented.
 */
final class MemberCertificateCheck {

    /** A tick to look at the members again; the actor's own, never on the wire. */
    enum Tick { INSTANCE }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MemberCertificateCheck.class);
    private static final Duration INTERVAL = Duration.ofMillis(500);

    private MemberCertificateCheck() {}

    static Behavior<Tick> create() {
        Set<UniqueAddress> judged = new HashSet<>();
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(Tick.INSTANCE, INTERVAL);
            Cluster cluster = Cluster.get(ctx.getSystem());
            return Behaviors.receiveMessage(tick -> {
                for (Member m : cluster.state().getMembers()) {
                    if (m.equals(cluster.selfMember()) || judged.contains(m.uniqueAddress())) continue;
                    if (m.status() == MemberStatus.down() || m.status() == MemberStatus.removed()) continue;
                    Address a = m.address();
                    PeerCertificates.Seen seen = PeerCertificates.at(a.getHost().orElse(""), a.getPort().orElse(0));
                    if (seen == null) continue;  // not dialled yet: look again at the next tick
                    judged.add(m.uniqueAddress());
                    String why = MemberCertificates.refusal(m.getRoles(), seen.roles());
                    if (why != null) {
                        LOG.warn("TLS: downing member {}: {} (certificate {})", a, why, seen.subject());
                        cluster.manager().tell(new Down(a));
                    }
                }
                return Behaviors.same();
            });
        }));
    }
}
