package org.pekkogrid.deploy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/** A Prometheus text scrape, to read one sample by name and labels. */
record Scrape(String text) {

    /** The sample of this name with (at least) these labels, if exactly one line matches. */
    OptionalDouble value(String name, Map<String, String> labels) {
        List<String> matches = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || !(line.startsWith(name + "{") || line.startsWith(name + " "))) continue;
            boolean all = labels.entrySet().stream().allMatch(l -> line.contains(l.getKey() + "=\"" + l.getValue() + "\""));
            if (all) matches.add(line);
        }
        if (matches.size() != 1) return OptionalDouble.empty();
        String line = matches.get(0);
        return OptionalDouble.of(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
    }

    double require(String name, Map<String, String> labels) {
        return value(name, labels).orElseThrow(() -> new AssertionError("no single sample " + name + labels
            + " in the scrape:\n" + text));
    }

    boolean has(String name) {
        return text.lines().anyMatch(l -> l.startsWith(name + "{") || l.startsWith(name + " "));
    }
}
