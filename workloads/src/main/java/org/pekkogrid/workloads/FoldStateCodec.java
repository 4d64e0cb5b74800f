package org.pekkogrid.workloads;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.CRC32C;

/**
 * Writes and reads a fold's partial state for the job journal: CBOR of the workload's
 * {@link Workload#foldStateType}, read back with the type the reader's own copy of the workload
 * declares, never one named in the bytes. The state travels in an envelope that says whose it
 * is (the workload, and the job's parameters and chunk count) with a CRC-32C of it: a flipped
 * byte, or the state of another job, is refused with the workload's name instead of resuming a
 * wrong fold. Numbers are not coerced: a missing field, a null or a fraction where a whole
 * number belongs is an error too.
 */
final class FoldStateCodec {

    /** What a saved fold is on the wire. */
    record Envelope(String workload, String job, int crc, byte[] state) {}

    private static final ObjectMapper CBOR = CBORMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES,
            DeserializationFeature.FAIL_ON_NULL_CREATOR_PROPERTIES,
            DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
            DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .build();
    private static final ObjectWriter ENVELOPE_WRITER = CBOR.writerFor(Envelope.class);
    private static final ObjectReader ENVELOPE_READER = CBOR.readerFor(Envelope.class);

    private final String workload;
    private final String job;
    private final Class<?> stateType;
    private final ObjectWriter writer;
    private final ObjectReader reader;

    /** @param job what tells this job from another of the same workload: its parameters and chunk count */
    FoldStateCodec(String workload, String job, Class<?> stateType) {
        this.workload = workload;
        this.job = job;
        this.stateType = stateType;
        this.writer = CBOR.writerFor(stateType);
        this.reader = CBOR.readerFor(stateType);
    }

    byte[] encode(Object state) {
        if (!stateType.isInstance(state)) {
            throw new IllegalStateException(workload + ": Aggregator.state() returned "
                + (state == null ? "null" : "a " + state.getClass().getName()) + ", not its foldStateType "
                + stateType.getName());
        }
        try {
            byte[] bytes = writer.writeValueAsBytes(state);
            return ENVELOPE_WRITER.writeValueAsBytes(new Envelope(workload, job, crc(bytes), bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(workload + ": cannot encode its fold state: " + e.getMessage(), e);
        }
    }

    Object decode(byte[] bytes) {
        if (bytes == null) throw new IllegalStateException(workload + ": no fold state to resume from (null)");
        Envelope saved;
        try {
            saved = ENVELOPE_READER.readValue(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(workload + ": cannot read this fold state (damaged, or not a saved fold): "
                + e.getMessage(), e);
        }
        if (!workload.equals(saved.workload())) {
            throw new IllegalStateException(workload + ": this fold state was saved by workload " + saved.workload()
                + "; a job resumes only from its own state");
        }
        if (!job.equals(saved.job())) {
            throw new IllegalStateException(workload + ": this fold state was saved for " + saved.job() + ", not for "
                + job + "; a job resumes only from its own state");
        }
        if (crc(saved.state()) != saved.crc()) {
            throw new IllegalStateException(workload + ": this fold state is damaged (its CRC-32C does not match);"
                + " resume from an earlier one or run the job again");
        }
        try {
            return reader.readValue(saved.state());
        } catch (IOException e) {
            throw new UncheckedIOException(workload + ": cannot read this fold state as a " + stateType.getName()
                + " (saved by another version of the workload?): " + e.getMessage(), e);
        }
    }

    private static int crc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return (int) crc.getValue();
    }
}
