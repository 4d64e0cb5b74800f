package org.pekkogrid.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A job as a client asks for it. Parameters stay as text until the head binds them to
 * the workload's parameter record, so a client needs no workload classes to submit.
 *
 * @param workload     the workload's name, such as {@code leibniz-pi}
 * @param params       workload parameters as {@code name -> text}
 * @param chunks       how many chunks to split into; 0 lets the workload choose
 * @param maxRetries   extra attempts a failing chunk gets; null for the head's default
 * @param chunkTimeout how long one chunk may run before it is re-dispatched; null for the default
 * @param requires     what each chunk needs from its node
 * @param timings      stream every chunk's timings to the client as the job runs
 * @param jar          the SHA-256 (hex) of the workload jar the job ships, which the client sent the head
 *                     before the job; null for a workload on the nodes' class path
 */
public record JobSpec(String workload, Map<String, String> params, long chunks, Integer maxRetries,
                      Duration chunkTimeout, Requirements requires, boolean timings,
                      // Left out when null: a spec without a jar keeps the bytes journals already hold.
                      @JsonInclude(JsonInclude.Include.NON_NULL) String jar) {

    public JobSpec {
        if (workload == null || workload.isBlank()) throw new IllegalArgumentException("no workload given");
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params == null ? Map.of() : params));
        if (chunks < 0) throw new IllegalArgumentException("chunks must be at least 1, got " + chunks);
        if (maxRetries != null && maxRetries < 0) {
            throw new IllegalArgumentException("max-retries cannot be negative, got " + maxRetries);
        }
        if (chunkTimeout != null && (chunkTimeout.isNegative() || chunkTimeout.isZero())) {
            throw new IllegalArgumentException("chunk-timeout must be positive, got " + chunkTimeout);
        }
        requires = requires == null ? Requirements.NONE : requires;
        if (jar != null && !jar.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("jar must be a SHA-256 as 64 lower-case hex digits, got \"" + jar + "\"");
        }
    }

    /** A job of a workload on the nodes' class path. */
    public JobSpec(String workload, Map<String, String> params, long chunks, Integer maxRetries,
                   Duration chunkTimeout, Requirements requires, boolean timings) {
        this(workload, params, chunks, maxRetries, chunkTimeout, requires, timings, null);
    }

    public static JobSpec of(String workload) {
        return new JobSpec(workload, Map.of(), 0, null, null, Requirements.NONE, false);
    }

    public JobSpec param(String name, Object value) {
        Map<String, String> p = new LinkedHashMap<>(params);
        p.put(name, String.valueOf(value));
        return new JobSpec(workload, p, chunks, maxRetries, chunkTimeout, requires, timings, jar);
    }

    public JobSpec withParams(Map<String, String> newParams) {
        return new JobSpec(workload, newParams, chunks, maxRetries, chunkTimeout, requires, timings, jar);
    }

    public JobSpec withChunks(long n) {
        return new JobSpec(workload, params, n, maxRetries, chunkTimeout, requires, timings, jar);
    }

    public JobSpec withMaxRetries(int n) {
        return new JobSpec(workload, params, chunks, n, chunkTimeout, requires, timings, jar);
    }

    public JobSpec withChunkTimeout(Duration timeout) {
        return new JobSpec(workload, params, chunks, maxRetries, timeout, requires, timings, jar);
    }

    public JobSpec withTimings(boolean stream) {
        return new JobSpec(workload, params, chunks, maxRetries, chunkTimeout, requires, stream, jar);
    }

    /** The same job, shipping the workload jar of this SHA-256 (see {@code GridClient.submit(JobSpec, Path)}). */
    public JobSpec withJar(String sha256) {
        return new JobSpec(workload, params, chunks, maxRetries, chunkTimeout, requires, timings, sha256);
    }

    public JobSpec requiring(Requirements r) {
        return new JobSpec(workload, params, chunks, maxRetries, chunkTimeout, r, timings, jar);
    }
}
