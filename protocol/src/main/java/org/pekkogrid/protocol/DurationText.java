package org.pekkogrid.protocol;

import java.time.Duration;
import java.util.Locale;

/** Parses durations the way users write them: {@code 500ms}, {@code 30s}, {@code 1.5s}, {@code 2m}, {@code 1h}. */
public final class DurationText {

    private DurationText() {}

    /**
     * @param what names the setting in the error, such as {@code --chunk-timeout}
     * @throws IllegalArgumentException when the text is not a positive duration with a unit
     */
    public static Duration parsePositive(String text, String what) {
        String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        Duration d;
        try {
            if (t.endsWith("ms")) d = Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            else if (t.endsWith("s")) d = Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            else if (t.endsWith("m")) d = Duration.ofSeconds(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60));
            else if (t.endsWith("h")) d = Duration.ofSeconds(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 3600));
            else throw new NumberFormatException();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + ": \"" + text + "\" is not a duration such as 30s, 500ms or 2m");
        }
        if (d.isZero() || d.isNegative()) throw new IllegalArgumentException(what + " must be positive, got " + text);
        return d;
    }
}
