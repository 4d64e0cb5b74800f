package org.pekkogrid.head;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.pekkogrid.protocol.DurationText;
import org.pekkogrid.protocol.JobSpec;
import org.pekkogrid.protocol.Requirements;

/**
 * A job as the HTTP API takes it, {@code POST /v1/jobs}:
 *
 * <pre>{@code
 * {"workload": "leibniz-pi", "params": {"terms": 2000000000}, "chunks": 256,
 *  "maxRetries": 3, "chunkTimeout": "30s", "requires": "cpus=1,tags=opencv"}
 * }</pre>
 *
 * Only {@code workload} is required; the rest mean what the CLI's options of the same names mean.
 */
final class JobRequest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> FIELDS = Set.of("workload", "params", "chunks", "maxRetries", "chunkTimeout",
        "requires", "timings");

    private JobRequest() {}

    /** The job this body asks for; a clear {@link IllegalArgumentException} for anything wrong in it. */
    static JobSpec parse(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("the body must be a JSON object such as {\"workload\": \"leibniz-pi\", "
                + "\"params\": {\"terms\": 1000000}}");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!FIELDS.contains(name)) {
                throw new IllegalArgumentException("unknown field \"" + name + "\"; a job has " + new java.util.TreeSet<>(FIELDS));
            }
        }
        JsonNode workload = root.get("workload");
        if (workload == null || !workload.isTextual() || workload.asText().isBlank()) {
            throw new IllegalArgumentException("\"workload\" is required: the name of a workload, such as \"leibniz-pi\"");
        }
        JobSpec spec = JobSpec.of(workload.asText()).withParams(params(root.get("params")));
        if (root.hasNonNull("chunks")) spec = spec.withChunks(whole(root.get("chunks"), "chunks", 1));
        if (root.hasNonNull("maxRetries")) spec = spec.withMaxRetries((int) whole(root.get("maxRetries"), "maxRetries", 0));
        if (root.hasNonNull("chunkTimeout")) {
            spec = spec.withChunkTimeout(DurationText.parsePositive(text(root.get("chunkTimeout"), "chunkTimeout"),
                "chunkTimeout"));
        }
        if (root.hasNonNull("requires")) spec = spec.requiring(Requirements.parse(text(root.get("requires"), "requires")));
        if (root.hasNonNull("timings")) spec = spec.withTimings(root.get("timings").asBoolean());
        return spec;
    }

    /** Parameter values stay text, as on the command line; numbers are written out whole where they are whole. */
    private static Map<String, String> params(JsonNode params) {
        Map<String, String> values = new LinkedHashMap<>();
        if (params == null || params.isNull()) return values;
        if (!params.isObject()) throw new IllegalArgumentException("\"params\" must be an object of name: value");
        for (Iterator<Map.Entry<String, JsonNode>> it = params.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isNumber()) {
                values.put(e.getKey(), plain(v.decimalValue()));
            } else if (v.isTextual() || v.isBoolean()) {
                values.put(e.getKey(), v.asText());
            } else {
                throw new IllegalArgumentException("params." + e.getKey() + " must be a number, a string or a boolean");
            }
        }
        return values;
    }

    private static String plain(BigDecimal number) {
        BigDecimal stripped = number.stripTrailingZeros();
        return stripped.scale() <= 0 ? stripped.toBigIntegerExact().toString() : stripped.toPlainString();
    }

    private static long whole(JsonNode node, String field, long min) {
        try {
            long value = node.isNumber() ? node.decimalValue().longValueExact() : Long.MIN_VALUE;
            if (value >= min) return value;
        } catch (ArithmeticException e) {
            // not whole, or beyond a long: said below
        }
        throw new IllegalArgumentException("\"" + field + "\" must be a whole number of at least " + min + ", got " + node);
    }

    private static String text(JsonNode node, String field) {
        if (!node.isTextual()) throw new IllegalArgumentException("\"" + field + "\" must be a string, got " + node);
        return node.asText();
    }
}
