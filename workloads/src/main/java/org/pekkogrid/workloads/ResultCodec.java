package org.pekkogrid.workloads;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Encodes a batch's chunk results as one CBOR array of the workload's declared result type.
 * The head decodes with the type its own copy of the workload declares, never with a type
 * named on the wire.
 */
final class ResultCodec<R> {

    /** The same encoding for the chunks that travel from the head (as an array of the chunk type). */
    static <C> ResultCodec<C> forChunks(Class<C> chunkType) {
        return new ResultCodec<>(chunkType);
    }

    private static final ObjectMapper CBOR = new CBORMapper();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Class<R> resultType;
    private final ObjectWriter writer;
    private final ObjectReader reader;

    ResultCodec(Class<R> resultType) {
        this.resultType = resultType;
        JavaType arrayType = CBOR.getTypeFactory().constructArrayType(resultType);
        this.writer = CBOR.writerFor(arrayType);
        this.reader = CBOR.readerFor(arrayType);
    }

    byte[] encode(Object[] results) {
        Object[] typed = results;
        if (results.getClass().getComponentType() != resultType) {
            // Jackson writes an array only as the type it was declared with.
            typed = (Object[]) java.lang.reflect.Array.newInstance(resultType, results.length);
            System.arraycopy(results, 0, typed, 0, results.length);
        }
        try {
            return writer.writeValueAsBytes(typed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode chunk results: " + e.getMessage(), e);
        }
    }

    Object[] decode(byte[] bytes) {
        try {
            return reader.readValue(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot decode chunk results: " + e.getMessage(), e);
        }
    }

    static JsonNode toJson(Object value) {
        return JSON.valueToTree(value);
    }
}
