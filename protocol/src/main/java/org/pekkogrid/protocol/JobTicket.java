package org.pekkogrid.protocol;

import java.time.Duration;
import java.util.Map;

/**
 * What a worker needs to run chunks of a job: it binds the workload and its parameters
 * once per job and node, and derives every chunk from its index.
 */
public record JobTicket(String jobId, String workload, Map<String, String> params, long chunks,
                        Duration chunkTimeout) {}
