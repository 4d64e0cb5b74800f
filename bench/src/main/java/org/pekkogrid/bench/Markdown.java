package org.pekkogrid.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A markdown page built a block at a time: the report.md files a reader pastes into a paper. */
public final class Markdown {

    private final StringBuilder text = new StringBuilder();

    public Markdown heading(int level, String title) {
        gap();
        text.append("#".repeat(level)).append(' ').append(title).append('\n');
        return this;
    }

    public Markdown paragraph(String paragraph) {
        gap();
        text.append(paragraph.strip()).append('\n');
        return this;
    }

    public Markdown bullets(List<String> items) {
        gap();
        for (String item : items) text.append("- ").append(item).append('\n');
        return this;
    }

    /** A table; the first column is left-aligned, the others right-aligned (they hold numbers). */
    public Markdown table(List<String> header, List<List<String>> rows) {
        gap();
        text.append(row(header));
        StringBuilder rule = new StringBuilder("|");
        for (int i = 0; i < header.size(); i++) rule.append(i == 0 ? " --- |" : " ---: |");
        text.append(rule).append('\n');
        for (List<String> r : rows) text.append(row(r));
        return this;
    }

    /** A two-column table of names and values, both left-aligned. */
    public Markdown facts(List<List<String>> rows) {
        gap();
        text.append("| | |\n| --- | --- |\n");
        for (List<String> r : rows) text.append(row(r));
        return this;
    }

    public Markdown image(String alt, String file) {
        gap();
        text.append("![").append(alt).append("](").append(file).append(")\n");
        return this;
    }

    /** Markdown someone else built, such as {@link Machine#markdown()}. */
    public Markdown append(String markdown) {
        gap();
        text.append(markdown.strip()).append('\n');
        return this;
    }

    public void write(Path file) throws IOException {
        Files.writeString(file, toString(), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return text.toString();
    }

    private void gap() {
        if (text.length() > 0 && !text.toString().endsWith("\n\n")) text.append('\n');
    }

    private static String row(List<String> cells) {
        StringBuilder line = new StringBuilder("|");
        for (String c : cells) line.append(' ').append(c == null ? "" : c.replace("|", "\\|")).append(" |");
        return line.append('\n').toString();
    }
}
