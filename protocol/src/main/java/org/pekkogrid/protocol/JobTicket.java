package org.pekkogrid.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What a worker needs to run chunks of a job: it binds the workload and its parameters
 * once per job and node, and derives every chunk from its index.
 *
 * @param jar       the SHA-256 of the workload jar the job ships; null for a workload on the class path
 * @param jarSource the jar store of the head that runs the job, where a worker fetches the jar; null with no jar
 */
public record JobTicket(String jobId, String workload, Map<String, String> params, long chunks,
                        Duration chunkTimeout,
                        // Left out when null: a ticket without a jar keeps its bytes.
                        @JsonInclude(JsonInclude.Include.NON_NULL) String jar,
                        @JsonInclude(JsonInclude.Include.NON_NULL) ActorRef<JarCommand> jarSource) {

    /** A job of a workload on the class path. */
    public JobTicket(String jobId, String workload, Map<String, String> params, long chunks, Duration chunkTimeout) {
        this(jobId, workload, params, chunks, chunkTimeout, null, null);
    }
}
