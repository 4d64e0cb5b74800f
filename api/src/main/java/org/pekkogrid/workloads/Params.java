package org.pekkogrid.workloads;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.pekkogrid.protocol.ByteSize;

/**
 * Binds {@code --param name=value} text to a workload's parameter record, with messages that
 * name the parameter. Validation of ranges lives in the record's compact constructor.
 *
 * <p>A component may be {@code long}, {@code int} (both also as {@code 1_000}, {@code 1e6} or
 * {@code 1k}), {@code double}, {@code boolean} ({@code true/false/yes/no/on/off/1/0}), their boxed
 * types, {@code String}, {@code java.nio.file.Path}, {@code java.time.Duration} ({@code 30s},
 * {@code 500ms}) or an enum (by constant name, any case). A component with no
 * {@link Param#defaultValue} is required unless {@link Param#optional}; any other type is refused
 * when the workload is first bound.
 */
public final class Params {

    private Params() {}

    /** One parameter as {@code grid workloads} lists it. */
    public record Description(String name, String type, String meaning, String defaultValue) {}

    public static <P extends Record> P bind(String workload, Class<P> type, Map<String, String> raw) {
        RecordComponent[] components = type.getRecordComponents();
        Map<String, RecordComponent> byName = new LinkedHashMap<>();
        for (RecordComponent c : components) byName.put(c.getName(), c);
        for (String given : raw.keySet()) {
            if (!byName.containsKey(given)) {
                String known = byName.isEmpty() ? "it takes none" : "known: " + String.join(", ", byName.keySet());
                throw new IllegalArgumentException(
                    "unknown parameter \"" + given + "\" for " + workload + "; " + known);
            }
        }
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            types[i] = c.getType();
            String text = raw.get(c.getName());
            Param doc = c.getAnnotation(Param.class);
            if (text == null && doc != null && doc.optional() && doc.defaultValue().isEmpty() && !c.getType().isPrimitive()) {
                continue;  // left out: null
            }
            if (text == null) {
                if (doc == null || doc.defaultValue().isEmpty()) {
                    throw new IllegalArgumentException(workload + " needs --param " + c.getName() + "=..."
                        + (doc == null ? "" : " (" + doc.value() + ")"));
                }
                text = doc.defaultValue();
            }
            args[i] = convert(c.getName(), c.getType(), text);
        }
        try {
            Constructor<P> ctor = type.getDeclaredConstructor(types);
            ctor.setAccessible(true);
            return ctor.newInstance(args);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IllegalArgumentException iae) throw iae;
            throw new IllegalArgumentException("bad parameters for " + workload + ": " + cause, cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getName() + ": " + e, e);
        }
    }

    public static List<Description> describe(Class<? extends Record> type) {
        List<Description> out = new ArrayList<>();
        for (RecordComponent c : type.getRecordComponents()) {
            Param doc = c.getAnnotation(Param.class);
            out.add(new Description(c.getName(), c.getType().getSimpleName(),
                doc == null ? "" : doc.value(),
                doc == null ? "" : doc.optional() && doc.defaultValue().isEmpty() ? "none" : doc.defaultValue()));
        }
        return out;
    }

    static Object convert(String name, Class<?> type, String text) {
        String t = text.trim();
        try {
            if (type == long.class || type == Long.class) return inRange("--param " + name, text, parseWhole(name, t), Long.MIN_VALUE, Long.MAX_VALUE);
            if (type == int.class || type == Integer.class) return (int) inRange("--param " + name, text, parseWhole(name, t), Integer.MIN_VALUE, Integer.MAX_VALUE);
            if (type == double.class || type == Double.class) {
                double d = Double.parseDouble(t.replace("_", ""));
                if (!Double.isFinite(d)) throw new NumberFormatException();
                return d;
            }
            if (type == boolean.class || type == Boolean.class) {
                return switch (t.toLowerCase(Locale.ROOT)) {
                    case "true", "yes", "on", "1" -> true;
                    case "false", "no", "off", "0" -> false;
                    default -> throw new IllegalArgumentException(
                        "--param " + name + ": expected true or false, got \"" + text + "\"");
                };
            }
            if (type == String.class) return t;
            if (type == Path.class) {
                if (t.isEmpty()) throw new IllegalArgumentException("--param " + name + ": empty path");
                checkNoControlCharacters(name, t);
                return Path.of(t);
            }
            if (type == Duration.class) return parseDuration(name, t);
            if (type.isEnum()) return parseEnum(name, type, t);
        } catch (NumberFormatException | ArithmeticException e) {
            String kind = type == double.class || type == Double.class ? "a number" : "a whole number";
            throw new IllegalArgumentException("--param " + name + ": expected " + kind + ", got \"" + text + "\"");
        }
        throw new IllegalStateException("parameter " + name + " has unsupported type " + type.getName());
    }

    /** A newline or other control character in a path is a mistake or a trick: no directory a person means has one. */
    static void checkNoControlCharacters(String name, String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (Character.isISOControl(c)) {
                throw new IllegalArgumentException("--param " + name + ": the path has a control character ("
                    + String.format(Locale.ROOT, "U+%04X", (int) c) + " at position " + i
                    + "); give a path without newlines, tabs or other control characters");
            }
        }
    }

    private static final Pattern SCALED = Pattern.compile("(\\d+(?:\\.\\d+)?)([kmgt])");

    /**
     * A whole number given on the command line, such as {@code --chunks 1e3}, written any way a
     * parameter may be (see {@link #parseWhole}), at least {@code min}.
     *
     * @throws IllegalArgumentException naming {@code option}: not a whole number, below {@code min}, or beyond a long
     */
    public static long wholeNumber(String option, String text, long min) {
        BigInteger value;
        try {
            value = parseWhole(option, text.trim());
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(option + ": expected a whole number, got \"" + text + "\"");
        }
        if (value.compareTo(BigInteger.valueOf(min)) < 0) {
            throw new IllegalArgumentException(option + " must be at least " + min + ", got " + text.trim());
        }
        return inRange(option, text, value, min, Long.MAX_VALUE);
    }

    /** The value, or a message that names the limit it passes: "too large" is not "not a number". */
    private static long inRange(String option, String text, BigInteger value, long min, long max) {
        if (value.compareTo(BigInteger.valueOf(max)) > 0) {
            throw new IllegalArgumentException(option + ": " + text.trim() + " is too large; the most it takes is "
                + String.format(Locale.ROOT, "%,d", max) + " (" + limitName(max) + ")");
        }
        if (value.compareTo(BigInteger.valueOf(min)) < 0) {
            throw new IllegalArgumentException(option + ": " + text.trim() + " is too small; the least it takes is "
                + String.format(Locale.ROOT, "%,d", min) + " (" + limitName(min) + ")");
        }
        return value.longValueExact();
    }

    private static String limitName(long limit) {
        if (limit == Long.MAX_VALUE) return "2^63 - 1, a long";
        if (limit == Integer.MAX_VALUE) return "2^31 - 1, an int";
        if (limit == Long.MIN_VALUE) return "-2^63, a long";
        if (limit == Integer.MIN_VALUE) return "-2^31, an int";
        return "its type's limit";
    }

    /**
     * Whole numbers as people write them: 2000000000, 2_000_000_000, 2e9, 2g. A parameter whose
     * name ends in "Bytes" is a size, and its suffixes are binary (512m = 512 MiB, as in -Xmx);
     * any other is a count, and its suffixes are decimal (samples=1m is a million). The value is
     * exact and unbounded: the caller checks the range, so that 1e30 is refused as too large.
     *
     * @throws NumberFormatException or ArithmeticException when the text is not a whole number
     */
    static BigInteger parseWhole(String name, String text) {
        String t = text.replace("_", "").replace(",", "").toLowerCase(Locale.ROOT);
        Matcher scaled = SCALED.matcher(t);
        if (name.endsWith("Bytes") && t.matches("\\d+[kmgt]b?")) {
            return BigInteger.valueOf(ByteSize.parse(t));
        }
        BigDecimal value;
        if (scaled.matches()) {
            int power = "kmgt".indexOf(scaled.group(2)) + 1;
            value = new BigDecimal(scaled.group(1)).scaleByPowerOfTen(3 * power);
        } else {
            value = new BigDecimal(t);
        }
        BigDecimal stripped = value.stripTrailingZeros();
        if (stripped.scale() > 0) throw new ArithmeticException("not a whole number");
        // A huge exponent (1e999999999) would make an exact integer of a billion digits: anything
        // past 40 digits is out of every range, and stands in as 10^40.
        if (stripped.precision() - stripped.scale() > 40) {
            return stripped.signum() > 0 ? BigInteger.TEN.pow(40) : BigInteger.TEN.pow(40).negate();
        }
        return stripped.toBigIntegerExact();
    }

    static Duration parseDuration(String name, String t) {
        String s = t.toLowerCase(Locale.ROOT);
        try {
            if (s.endsWith("ms")) return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            if (s.endsWith("s")) return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
            if (s.endsWith("m")) return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)) * 60);
            return Duration.ofMillis(Long.parseLong(s));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--param " + name + ": expected a duration such as 500ms or 30s, got \"" + t + "\"");
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Object parseEnum(String name, Class<?> type, String t) {
        for (Object constant : type.getEnumConstants()) {
            if (((Enum) constant).name().equalsIgnoreCase(t.replace('-', '_'))) return constant;
        }
        TreeSet<String> names = new TreeSet<>();
        for (Object constant : type.getEnumConstants()) names.add(((Enum) constant).name().toLowerCase(Locale.ROOT));
        throw new IllegalArgumentException("--param " + name + ": \"" + t + "\" is not one of " + names);
    }
}
