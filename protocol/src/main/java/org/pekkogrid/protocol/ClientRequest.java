package org.pekkogrid.protocol;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.util.List;
import java.util.Objects;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What a client may send to a head's client gateway. Clients are not cluster members: they
 * reach the gateway of any head over remoting (at {@link #gatewayPath}), and it passes each
 * request on to the job coordinator or the counters, wherever in the cluster they run. Replies
 * go straight back to the client's own refs.
 */
public sealed interface ClientRequest extends GridMessage
    permits CoordinatorCommand.SubmitJob, CoordinatorCommand.CancelJob, CoordinatorCommand.GetStatus,
        CoordinatorCommand.GetJob, CoordinatorCommand.FollowJob, CoordinatorCommand.ClientAlive,
        CoordinatorCommand.ClientClosed, ClientRequest.Hello, ClientRequest.CounterRequest, JarCommand.Offer,
        JarCommand.Put {

    /** Name of the gateway, a system actor on every head. */
    String GATEWAY_NAME = "client-gateway";

    /** A client's first word to a gateway; the answer is {@link Welcome}. */
    record Hello(ActorRef<Welcome> replyTo) implements ClientRequest {
        public Hello {
            Objects.requireNonNull(replyTo, "replyTo");
        }
    }

    /**
     * @param head    the answering head, as {@code host:port}
     * @param heads   every head that is up, as {@code host:port}: where to go when this one stops answering
     * @param gateway the answering gateway, for the client's requests from now on
     */
    record Welcome(String head, List<String> heads, ActorRef<ClientRequest> gateway) implements GridMessage {}

    /**
     * A counter's command, for the sharded counters on the worker nodes. The command names its
     * type by a name of ours (never a class name), so only the listed commands can be read back.
     */
    record CounterRequest(
        String counter,
        @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
        @JsonSubTypes({
            @JsonSubTypes.Type(value = CounterCommand.Increment.class, name = "increment"),
            @JsonSubTypes.Type(value = CounterCommand.Get.class, name = "get")})
        CounterCommand command) implements ClientRequest {
        public CounterRequest {
            Counters.checkName(counter);
            Objects.requireNonNull(command, "command");
        }
    }

    /** Where the gateway of the head at {@code host:port} is. */
    static String gatewayPath(String systemName, String hostPort) {
        return GridConfig.seedAddress(systemName, hostPort) + "/system/" + GATEWAY_NAME;
    }
}
